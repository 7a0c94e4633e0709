#!/usr/bin/env python3
"""Side by side, one run, one machine: windowed HRV over 24 h of RR, neurokit2 vs numpy vs ours.

The work (BENCHMARKS.md): the real Polar H10 RR log from shared/data/real/fatmaxxer, beats in
250-2000 ms, rescaled to a mean RR of 800 ms and tiled to 24 h (108 564 beats); 2-minute
windows stepped every 5 s of beat time; per window RMSSD, SDNN and DFA alpha1 (box sizes 4-16).
  neurokit2 0.2.13: hrv_time + fractal_dfa(scale=range(4, 17))
  numpy floor:      vectorised RMSSD/SDNN + non-overlapping-box DFA per window
  ours:             `ingestctl hrv FILE --no-gate --every 5 --timing`: the file is read into memory
                    first (as the Python tools get an array), then only the windowed work is
                    timed; the whole process (CSV parse included) is reported too

    pip install neurokit2==0.2.13 && swift build -c release && python3 scripts/benchmark_vs_neurokit2.py [--quick]
--quick times neurokit2 on every 10th window and scales up (the full run takes about 90 s).
"""
import argparse, csv, json, os, subprocess, sys, tempfile, time
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
SHARED = os.path.join(ROOT, "..", "shared", "data", "real")


def day_series():
    with open(os.path.join(SHARED, "fatmaxxer", "FatMaxOptimiser.20210606_161059.rr.csv")) as f:
        rr = np.array([float(r[1]) for r in csv.reader(f) if r and r[0] != "timestamp"])
    rr = rr[(rr >= 250) & (rr <= 2000)]
    rr = rr * (800 / rr.mean())
    rr = rr[(rr >= 250) & (rr <= 2000)]  # rescaling pushes the longest beats past 2000 ms
    out, total = [], 0.0
    while total < 86_400_000:
        for v in rr:
            if total >= 86_400_000:
                break
            out.append(v)
            total += v
    return np.array(out)


def window_ends(rr):
    t = np.cumsum(rr) / 1000.0
    ends, starts, nxt, s = [], [], 120.0, 0
    for e in range(len(rr)):
        while t[e] - t[s] >= 120.0:
            s += 1
        if t[e] >= nxt:
            nxt = t[e] + 5.0
            ends.append(e)
            starts.append(s)
    return starts, ends


def numpy_dfa(w):
    y = np.cumsum(w - w.mean())
    logs_n, logs_f = [], []
    for n in range(4, 17):
        k = len(y) // n
        seg = y[: k * n].reshape(k, n)
        x = np.arange(n)
        coef = np.polyfit(x, seg.T, 1)
        fit = np.outer(coef[0], x) + coef[1][:, None]
        logs_n.append(np.log(n))
        logs_f.append(0.5 * np.log(np.mean((seg - fit) ** 2)))
    return np.polyfit(logs_n, logs_f, 1)[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--ingestctl", default=os.path.join(ROOT, ".build", "release", "ingestctl"))
    a = ap.parse_args()
    rr = day_series()
    starts, ends = window_ends(rr)
    print(f"work: {len(rr)} beats, {len(ends)} windows of 2 min every 5 s")

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "day.csv")
        t = 1_700_000_000 + np.cumsum(rr) / 1000.0
        with open(path, "w") as f:
            f.write("timestamp,hr,rr\n")
            for ti, v in zip(t, rr):
                f.write(f"{ti:.3f},,{v:.3f}\n")
        t0 = time.perf_counter()
        p = subprocess.run([a.ingestctl, "hrv", path, "--no-gate", "--every", "5", "--json"], capture_output=True, text=True)
        whole = time.perf_counter() - t0
        if p.returncode != 0:
            sys.exit(f"ingestctl failed: {p.stderr}")
        our_rows = [json.loads(l) for l in p.stdout.splitlines()]
        p = subprocess.run([a.ingestctl, "hrv", path, "--no-gate", "--every", "5", "--timing"], capture_output=True, text=True)
        ours = float(p.stderr.split("compute_seconds=")[1].split()[0])

    t0 = time.perf_counter()
    floor = [(np.sqrt(np.mean(np.diff(rr[s:e + 1]) ** 2)), np.std(rr[s:e + 1], ddof=1), numpy_dfa(rr[s:e + 1]))
             for s, e in zip(starts, ends)]
    numpy_time = time.perf_counter() - t0

    import neurokit2 as nk
    pick = list(range(0, len(ends), 10)) if a.quick else list(range(len(ends)))
    nk_rmssd = {}
    t0 = time.perf_counter()
    for i in pick:
        w = rr[starts[i]:ends[i] + 1]
        peaks = np.concatenate([[0], np.cumsum(np.round(w * 1000).astype(np.int64))])
        ht = nk.hrv_time(peaks, sampling_rate=1_000_000)
        nk.fractal_dfa(w, scale=np.arange(4, 17))
        nk_rmssd[i] = float(ht["HRV_RMSSD"].iloc[0])
    nk_time = (time.perf_counter() - t0) * len(ends) / len(pick)

    diffs = [abs(our_rows[i]["rmssd_ms"] - nk_rmssd[i]) for i in pick if i < len(our_rows)]
    print(f"windows: ours {len(our_rows)}, reference {len(ends)}; max |RMSSD ours - neurokit2| {max(diffs):.4f} ms")
    print(f"neurokit2 0.2.13 : {nk_time:8.2f} s{' (extrapolated from every 10th window)' if a.quick else ''}")
    print(f"numpy floor      : {numpy_time:8.2f} s")
    print(f"ingestctl hrv    : {ours:8.3f} s windowed work; {whole:.3f} s whole process with CSV parsing")
    print(f"ratio vs neurokit2 {nk_time / ours:,.0f}x (whole process {nk_time / whole:,.0f}x); "
          f"vs numpy floor {numpy_time / ours:,.0f}x (whole process {numpy_time / whole:,.0f}x)")


if __name__ == "__main__":
    main()
