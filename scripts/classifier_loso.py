#!/usr/bin/env python3
"""Leave-one-source-out figure for the session classifier.

The product is scored on recordings from people and devices we do not have, so the in-sample
figure of ../shared/tools/eval_classifier.py flatters it. This script:
  1. runs `ingestctl analyze --json` over every labelled recording in ../shared/data/real
     (the same conversions and --age/--sex as the scorer) and keeps each session's features;
  2. mirrors SessionClassifier.score (Sources/Physiology/SessionClassifier.swift) in Python, with
     the thresholds read from Config/classifier_thresholds.json (`ingestctl classifier-thresholds`,
     tested equal to ClassifierThresholds.shipped), so no number is copied by hand;
  3. for each source (PhysioNet E4, Garmin strength FITs, fitdecode FITs, Polar 4x4, and the
     python-fitparse rides and runs, the Zwift 45/15 ride and the Strava run listed in
     Tests/Fixtures/labels.csv), tunes the
     thresholds on the other sources by grid search and scores the held-out one;
  4. prints the session-level macro-F1 with the shipped thresholds and the pooled
     leave-one-source-out macro-F1 (MIXED files, which need segments, are left out of both).

    swift build -c release && python3 scripts/classifier_loso.py
"""
import collections, csv, itertools, json, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
DATA = os.path.join(ROOT, "..", "shared", "data", "real")
FIXTURES = os.path.join(ROOT, "Tests", "Fixtures")  # labels.csv: real recordings only we hold
sys.path.insert(0, os.path.join(ROOT, "..", "shared", "tools"))
ev = None  # ../shared/tools/eval_classifier, imported when recordings are collected (not for `score`)

CLASSES = ["resistance", "endurance", "hiit"]
with open(os.path.join(ROOT, "Config", "classifier_thresholds.json")) as _f:
    SHIPPED = json.load(_f)  # name -> {"lo": …, "hi": …}, as ClassifierThresholds
# The lower ends searched when a source is held out (each ramp keeps its upper end).
GRID = dict(training=[0.24, 0.27, 0.30], hiitOscillation=[0.055, 0.065, 0.075], hiitReach=[0.3, 0.35, 0.4],
            hiitTrough=[0.38, 0.42, 0.46], resistanceBoutRate=[1.3, 1.6, 1.9], enduranceCalm=[0.055, 0.065, 0.075])


def ramp(v, r):
    lo, hi = r["lo"], r["hi"]
    if hi <= lo:
        return 1.0 if v >= hi else 0.0
    return min(max((v - lo) / (hi - lo), 0.0), 1.0)


def light_set_series(f, t):
    """A long, rhythmic series of small bouts with low peaks (SessionClassifier's lightSets)."""
    return (ramp(f.get("small_bouts", 0), t["lightSetBouts"]) * ramp(f.get("small_bouts_per_10min", 0), t["lightSetRate"])
            * (1 - ramp(f.get("small_period_variation", 1), t["lightSetIrregularity"]))
            * (1 - ramp(f.get("mean_small_bout_peak_hrr", 0), t["lightSetPeak"])))


def sets_factor(f, t):
    """ClassFactors.sets: many bouts, often; light sets; or a long series of short climbs."""
    b = f["bouts"]
    long_rest_sets = (ramp(b, t["longRestSetBouts"]) * ramp(f["bouts_per_10min"], t["longRestSetRate"])
                      * (1 - ramp(f.get("mean_climb_seconds", 0), t["setClimbSeconds"])))
    return max(ramp(b, t["resistanceBouts"]) * ramp(f["bouts_per_10min"], t["resistanceBoutRate"])
               * (1 - ramp(f.get("mean_climb_seconds", 0), t["resistanceClimbSeconds"])),
               light_set_series(f, t), long_rest_sets)


def score(f, t):
    """SessionClassifier.factors(wholeSession: true) / ClassFactors.scores, term by term."""
    b = f["bouts"]
    amp, peak = f["mean_bout_amplitude_hrr"], f["mean_bout_peak_hrr"]
    training = ramp(f["sustained_peak_hrr"], t["training"])
    give_back = amp / peak if peak > 0 else 0.0
    regular = ramp(b, t["hiitRegularBouts"]) * (1 - ramp(f.get("peak_period_variation", 1), t["hiitRegularity"]))
    period = f.get("mean_peak_period_seconds", 0)
    short = regular * (1 - ramp(period, t["hiitShortPeriod"])) if period > 0 else 0.0
    swing = max(ramp(f["oscillation_hrr"], t["hiitOscillation"]),
                ramp(amp, t["hiitBoutAmplitude"]) * ramp(b, t["hiitSwingBouts"]),
                ramp(give_back, t["hiitRelativeDepth"]) * ramp(amp, t["hiitDepthFloor"]) * ramp(b, t["hiitSwingBouts"]),
                regular * ramp(give_back, t["hiitRegularGiveBack"]) * ramp(amp, t["hiitDepthFloor"]),
                short * ramp(give_back, t["hiitShortGiveBack"]) * ramp(amp, t["hiitDepthFloor"]))
    evidence = max(training, ramp(amp, t["hiitEvidenceAmplitude"]) * ramp(b, t["hiitEvidenceBouts"])
                   * (1 - ramp(b, t["hiitEvidenceMaxBouts"])))
    near_max = ramp(peak, t["hiitNearMaxPeak"]) * ramp(f["oscillation_hrr"], t["hiitNearMaxSwing"]) * ramp(b, t["hiitRegularBouts"])
    deep = max((1 - ramp(f["mean_bout_trough_hrr"], t["hiitTrough"])) * (1 - ramp(b, t["hiitTroughBouts"])), ramp(amp, t["hiitDeepAmplitude"]), near_max,
               regular * (1 - ramp(f["mean_bout_trough_hrr"], t["hiitRegularTrough"])),
               short * (1 - ramp(f["mean_bout_trough_hrr"], t["hiitShortTrough"]))) if b > 0 else 1
    reach = ramp(peak if b > 0 else f["mean_hrr_fraction"], t["hiitReach"])
    quick = max(1 - ramp(f["mean_work_seconds"], t["hiitWorkSeconds"]),
                regular * ramp(f.get("high_peak_bout_fraction", 0), t["hiitJoggedPeaks"])
                * (1 - ramp(f.get("mean_climb_seconds", f["mean_work_seconds"]), t["hiitWorkSeconds"]))) if b > 0 else 1
    rest = f["mean_rest_seconds"]
    repeats = 1 - ramp(rest, t["hiitRestSeconds"]) if rest > 0 else 1
    set_series = ramp(b, t["hiitManyBouts"]) * (1 - ramp(peak, t["resistancePeak"]))
    not_sets = 1 - set_series
    planned = max(1 - ramp(b, t["hiitIrregularBouts"]) * ramp(f.get("peak_period_variation", 1), t["hiitIrregularity"]),
                  near_max)
    hiit = evidence * swing * deep * reach * ramp(b, t["hiitBouts"]) * quick * repeats * not_sets * planned
    small_peak = f.get("mean_small_bout_peak_hrr", 0)
    light_sets = light_set_series(f, t)
    sets = sets_factor(f, t)
    moderate = max(1 - ramp(amp, t["resistanceAmplitude"]), set_series)
    low_peaks = 1 - ramp(peak, t["resistancePeak"])
    lifting = max(training, ramp(peak, t["liftingPeak"]) * ramp(b, t["liftingBouts"]), ramp(small_peak, t["liftingPeak"]) * light_sets)
    not_held_above = 1 - ramp(f["sustained_peak_hrr"] - peak, t["resistanceHeldAbove"]) if b > 0 else 1
    paced = 1 - ramp(b, t["hiitIrregularBouts"]) * ramp(f.get("peak_period_variation", 1), t["resistanceIrregularity"])
    steady = max(1 - ramp(f["oscillation_hrr"], t["resistanceOscillation"]), set_series)
    resistance = (lifting * sets * moderate * low_peaks * steady
                  * paced * not_held_above)
    calm = max(1 - ramp(f["oscillation_hrr"], t["enduranceCalm"]),
               ramp(f["mean_bout_trough_hrr"], t["enduranceTrough"])) if b > 0 else 1
    climbs = ramp(f.get("climb_correlation", 0), t["enduranceClimb"]) * ramp(f.get("climb_rise_hrr", 0), t["climbRise"])
    held = max(ramp(f["mean_hrr_fraction"], t["enduranceHeld"]), climbs)
    training = max(training, climbs)
    continuous = ramp(f.get("rising_fraction", 0.5), t["enduranceRising"])
    substantial = max(ramp(f["sustained_peak_hrr"], t["enduranceModerate"]),
                      ramp(f.get("active_seconds", 0), t["enduranceLasting"]))
    endurance = training * held * calm * continuous * substantial * (1 - hiit) * (1 - resistance)
    return {"resistance": resistance, "endurance": endurance, "hiit": hiit}


def shifted(t, lows):
    """`t` with the ramps in `lows` starting at the given lower ends (upper ends kept)."""
    out = {k: dict(v) for k, v in t.items()}
    for k, lo in lows.items():
        out[k]["lo"] = lo
    return out


def leans(s, f, t):
    """SessionClassifier.basis: below the confidence threshold, a stretch that builds like
    exercise, or a long series of sets when lifting leads, still takes its best class when that
    clearly leads."""
    ordered = sorted(s.values())
    best, runner_up = ordered[-1], ordered[-2]
    lead = ramp(best / runner_up, t["leanMargin"]) if runner_up > 0 else 1.0
    builds = ramp(f.get("climb_correlation", 0), t["leanClimb"]) * ramp(f.get("climb_rise_hrr", 0), t["climbRise"])
    sets = (ramp(sets_factor(f, t), t["leanSets"]) * ramp(max(f["bouts"], f.get("small_bouts", 0)), t["leanSetSeries"])
            if max(CLASSES, key=lambda c: s[c]) == "resistance" else 0.0)
    return max(builds, sets) * ramp(best, t["leanScore"]) * lead >= 0.5


def classify(f, p):
    s = score(f, p)
    best = max(CLASSES, key=lambda c: s[c])
    return best if s[best] >= 0.5 or leans(s, f, p) else "unclassified"


def predict(rec, p):
    acc = collections.Counter()
    for s in rec["sessions"]:
        acc[classify(s["features"], p)] += s["duration_seconds"]
    return acc.most_common(1)[0][0] if acc else "none"


def macro_f1(pairs):
    f1s = []
    for c in CLASSES:
        tp = sum(1 for t, q in pairs if t == c and q == c)
        fp = sum(1 for t, q in pairs if t != c and q == c)
        fn = sum(1 for t, q in pairs if t == c and q != c)
        pr = tp / (tp + fp) if tp + fp else 0.0
        rc = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * pr * rc / (pr + rc) if pr + rc else 0.0)
    false = sum(1 for t, q in pairs if t == "none" and q in CLASSES)
    return sum(f1s) / 3, false


def collect(ingestctl):
    global ev
    import eval_classifier as ev  # noqa: E402
    info = ev.subject_info(DATA)
    tmp = tempfile.mkdtemp(prefix="loso-")
    out = []
    rows = []
    for base in (DATA, FIXTURES):  # the shared labelled data, then the labelled fixtures we ship
        with open(os.path.join(base, "labels.csv"), newline="") as f:
            rows += [(base, r) for r in csv.DictReader(f)]
    for i, (base, r) in enumerate(rows):
        label = r["label"].strip()
        if label not in ev.LABEL_MAP:
            continue
        path = os.path.join(base, r["path"].rstrip("/"))
        src = r["path"].split("/")[0]
        extra = []
        if os.path.isdir(path):
            sid = os.path.basename(path).split("_")[0]
            if sid in info:
                sex, age = info[sid]
                extra = ["--age", age, "--sex", "female" if sex.lower().startswith("f") else "male"]
            trace = os.path.join(tmp, f"{i}.csv")
            ev.physionet_to_csv(path, trace)
        elif src == "algo-hiit-wisloff":
            trace = os.path.join(tmp, f"{i}.csv")
            ev.polar_to_csv(path, trace)
        elif path.endswith((".fit", ".csv")):  # FIT, and CSVs in our own trace format
            trace = path
        else:
            continue
        p = subprocess.run([ingestctl, "analyze", trace, "--json"] + extra, capture_output=True, text=True)
        sessions = [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")]
        out.append({"truth": ev.LABEL_MAP[label], "src": src, "sessions": sessions})
    return out


def tune(recs):
    keys = list(GRID)
    best = None
    for values in itertools.product(*[GRID[k] for k in keys]):
        lows = dict(zip(keys, values))
        p = shifted(SHIPPED, lows)
        m, false = macro_f1([(r["truth"], predict(r, p)) for r in recs])
        key = (m - false, -sum(abs(lows[k] - SHIPPED[k]["lo"]) for k in keys))
        if best is None or key > best[0]:
            best = (key, p)
    return best[1]


def main():
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ingestctl", default=os.path.join(ROOT, ".build", "release", "ingestctl"))
    recs = collect(ap.parse_args().ingestctl)
    m, false = macro_f1([(r["truth"], predict(r, SHIPPED)) for r in recs])
    print(f"session-level, shipped thresholds: macro_f1={m:.3f} false_workouts={false}")
    pairs = []
    for held in sorted({r["src"] for r in recs}):
        p = tune([r for r in recs if r["src"] != held])
        test = [r for r in recs if r["src"] == held]
        pairs += [(r["truth"], predict(r, p)) for r in test]
        shipped = sum(1 for r in test if r["truth"] == predict(r, SHIPPED)) / len(test)
        kinds = ", ".join(f"{c} {n}" for c, n in sorted(collections.Counter(r["truth"] for r in test).items()))
        print(f"  held out {held:28} n={len(test):2} ({kinds}): accuracy tuned on the rest "
              f"{sum(1 for r in test if r['truth'] == predict(r, p)) / len(test):.2f}, shipped {shipped:.2f}")
    m, false = macro_f1(pairs)
    print(f"leave-one-source-out: macro_f1={m:.3f} false_workouts={false}")


if __name__ == "__main__":
    main()
