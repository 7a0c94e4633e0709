#!/usr/bin/env python3
"""Does the classifier's answer survive what another person or device does to the same session?

The product is scored on recordings of people and devices we do not have. For every labelled
workout recording with heart rate in a FIT file or a CSV of our own format (../shared/data/real
and Tests/Fixtures/labels.csv), this script rewrites the trace under each condition below, runs
`ingestctl analyze` on it and takes the recording's class as the scorer does
(../shared/tools/eval_classifier.py, needed beside the checkout, as for scripts/evaluate):

  as-recorded  the samples as they are (written through the same CSV path as the others)
  smart        a watch's "smart recording": a sample when HR moved 2 bpm, else every 6-10 s
               (the simulator's own model, synthetic_sessions.smart_recording)
  hr-8, hr+8   the whole trace 8 bpm lower or higher: a person whose HRmax and resting HR lie
               that far from what the age formula and the 60-bpm cap assume
  wrist        wrist optical HR: a 10-s moving average, 6 s late
  dropouts     the strap loses contact for 10-60 s, on average every 4 minutes

and prints, per condition, how many recordings keep their labelled class and how many keep the
as-recorded answer. A stress test of invariance, never the score; the conditions are fixed
(seed 1), so a run is reproducible.

    swift build -c release --product ingestctl && python3 scripts/robustness.py [--verbose]
"""
import argparse, collections, csv, json, os, random, subprocess, sys, tempfile, warnings

warnings.filterwarnings("ignore", module="fitdecode")  # some shipped FIT files have odd field sizes it reads past

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
SOURCES = [os.path.join(ROOT, "..", "shared", "data", "real"), os.path.join(ROOT, "Tests", "Fixtures")]
# The scorer's own label map and rule for a recording's class (the class covering the most time).
sys.path.insert(0, os.path.join(ROOT, "..", "shared", "tools"))
import eval_classifier as ev  # noqa: E402
sys.path.insert(0, HERE)
import synthetic_sessions as ss  # noqa: E402  (one model of a watch's smart recording)


def fit_samples(path):
    import fitdecode  # scripts/install-deps
    out = []
    with fitdecode.FitReader(path) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "record":
                values = {f.name: f.value for f in frame.fields}
                t, hr = values.get("timestamp"), values.get("heart_rate")
                if t is not None and hr:
                    out.append((t.timestamp(), float(hr)))
    return out


def csv_samples(path):
    out = []
    with open(path) as f:
        for row in csv.DictReader(line for line in f if not line.startswith("#")):
            try:
                out.append((float(row["timestamp"]), float(row["hr"])))
            except (KeyError, TypeError, ValueError):
                pass
    return out


def smart(samples, rng):
    return [(t, hr) for t, hr, _ in ss.smart_recording([(t, hr, None) for t, hr in samples], rng)]


def wrist(samples, rng):
    out, window = [], collections.deque()
    for t, hr in samples:
        window.append((t, hr))
        while window[0][0] <= t - 10:
            window.popleft()
        out.append((t + 6, sum(h for _, h in window) / len(window)))
    return out


def dropouts(samples, rng):
    out, until = [], -1.0
    for t, hr in samples:
        if t < until:
            continue
        if rng.random() < 1 / 240:
            until = t + rng.uniform(10, 60)
            continue
        out.append((t, hr))
    return out


CONDITIONS = {
    "as-recorded": lambda s, rng: s,
    "smart": smart,
    "hr-8": lambda s, rng: [(t, hr - 8) for t, hr in s],
    "hr+8": lambda s, rng: [(t, hr + 8) for t, hr in s],
    "wrist": wrist,
    "dropouts": dropouts,
}


def recordings():
    seen = set()
    for base in SOURCES:
        labels = os.path.join(base, "labels.csv")
        if not os.path.exists(labels):
            continue
        with open(labels, newline="") as f:
            for row in csv.DictReader(f):
                label = ev.LABEL_MAP.get(row["label"].strip())
                name = row["path"].strip()
                path = os.path.join(base, name)
                if label in (None, "none") or name in seen or not os.path.isfile(path):
                    continue
                if name.endswith(".fit"):
                    samples = fit_samples(path)
                elif name.endswith(".csv") and not name.startswith("algo-hiit-wisloff"):  # Polar's CSV is not ours
                    samples = csv_samples(path)
                else:
                    continue
                if len(samples) >= 300:
                    seen.add(name)
                    yield name, label, samples


def classify(ingestctl, samples, path):
    with open(path, "w") as w:
        w.write("timestamp,hr,rr\n")
        for t, hr in samples:
            w.write(f"{t:.3f},{int(round(hr))},\n")
    p = subprocess.run([ingestctl, "analyze", path, "--json"], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"{path}: exit {p.returncode}: {p.stderr[-300:]}")
    sessions = [json.loads(line) for line in p.stdout.splitlines() if line.startswith("{")]
    return ev.dominant(ev.spans([s for s in sessions if s.get("kind") == "session"]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ingestctl", default=os.path.join(ROOT, ".build", "release", "ingestctl"))
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="wi-robustness-")
    right, same, n = collections.Counter(), collections.Counter(), 0
    for name, label, samples in recordings():
        n += 1
        answers = {}
        for condition, rewrite in CONDITIONS.items():
            answers[condition] = classify(a.ingestctl, rewrite(samples, random.Random(1)), os.path.join(tmp, "trace.csv"))
            right[condition] += answers[condition] == label
            same[condition] += answers[condition] == answers["as-recorded"]
        if a.verbose:
            print(f"{label:>10}: " + " ".join(f"{c}={v}" for c, v in answers.items()) + f"  {name}")
    if n == 0:
        sys.exit("robustness: no labelled recordings found")
    print(f"{'condition':12}{'labelled class':>16}{'as recorded':>14}   (of {n} workout recordings)")
    for condition in CONDITIONS:
        print(f"{condition:12}{right[condition]:>16}{same[condition]:>14}")


if __name__ == "__main__":
    main()
