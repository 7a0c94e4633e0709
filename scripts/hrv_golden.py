#!/usr/bin/env python3
"""Reference HRV values for the engine's golden tests (Tests/PhysiologyTests/HRVGoldenTests.swift).

For each RR series it slides a 2-minute window (beat i is in the window ending at beat e when
t[e] - t[i] < 120 s, t = cumulative RR) and, every 5 s of beat time, records:
  rmssd, sdnn        neurokit2 0.2.13 hrv_time (RMSSD; SDNN with n-1)
  alpha1_nk2         neurokit2 fractal_dfa(scale=4..16), which is what
                     hrv_nonlinear(dfa_windows=[(4,16),(17,None)]) computes for DFA_alpha1
                     (50 % overlapping boxes starting at the window start)
  alpha1_aligned     the same DFA with non-overlapping boxes aligned to the absolute beat
                     index: the engine's exact streaming definition (PHYSIOLOGY.md)
Series (all in Tests/Fixtures, see its ATTRIBUTION.md): ten minutes of a Polar H10 with
premature beats (kbroman/detectPVC, MIT), three Empatica E4 IBI files (PhysioNet, ODC-By), beats
outside 250-2000 ms dropped as the engine's range check does, and seeded synthetic series with
injected artifacts (stored whole, they are ours).

    pip install neurokit2==0.2.13 && python3 scripts/hrv_golden.py
writes Tests/Fixtures/golden/hrv.json; with --check (run by scripts/test, so in CI) it recomputes
and fails when the committed file no longer matches (tolerance 1e-9).
"""
import csv, json, os, sys
import numpy as np
import neurokit2 as nk

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
FIXTURES = os.path.join(ROOT, "Tests", "Fixtures")
WINDOW_S, STEP_S = 120.0, 5.0


def polar_h10():
    """The detectPVC Polar H10 notifications (timestamp,hr,rr), their RR intervals in order."""
    with open(os.path.join(FIXTURES, "detectpvc-polar-h10", "polar_h10.rr.csv")) as f:
        rows = [r for r in csv.reader(f) if r and not r[0].startswith("#") and r[0] != "timestamp"]
    rr = np.array([float(v) for r in rows for v in r[2].split()])
    return rr[(rr >= 250) & (rr <= 2000)]


def e4_ibi(kind, subject):
    path = os.path.join(FIXTURES, "physionet-wearable-exercise", "Wearable_Dataset", kind, subject, "IBI.csv")
    with open(path) as f:
        rows = list(csv.reader(f))[1:]
    rr = np.array([float(r[1]) * 1000 for r in rows if len(r) >= 2])
    return rr[(rr >= 250) & (rr <= 2000)]


def synthetic(seed, n=3000):
    """AR(1) rhythm around 800 ms with injected ectopic, missed and extra beats."""
    rng = np.random.default_rng(seed)
    x = np.zeros(n)
    for i in range(1, n):
        x[i] = 0.9 * x[i - 1] + rng.normal(0, 12)
    rr = 800 + x + 40 * np.sin(np.arange(n) * 2 * np.pi / 12)
    kinds = {"ectopic": 0, "missed": 0, "extra": 0}
    for i in rng.choice(np.arange(20, n - 20), size=n // 100, replace=False):
        k = rng.choice(list(kinds))
        kinds[k] += 1
        if k == "ectopic":
            rr[i] *= 0.7
            rr[i + 1] *= 1.3
        elif k == "missed":
            rr[i] += rr[i + 1]
            rr[i + 1] = np.nan
        else:
            half = rr[i] * rng.uniform(0.3, 0.6)
            rr[i] -= half
            rr = np.insert(rr, i + 1, half)
    rr = rr[~np.isnan(rr)]
    return np.round(rr, 3), kinds


def aligned_alpha1(series, start):
    """Non-overlapping boxes aligned to the absolute beat index; series is the whole stream."""
    y_all = np.cumsum(series)
    logs_n, logs_f = [], []
    end = len(series) - 1
    for n in range(4, 17):
        first = -(-start // n) * n
        res, boxes = 0.0, 0
        for b in range(first, end - n + 2, n):
            seg = y_all[b:b + n] - y_all[b]
            t = np.arange(n)
            coef = np.polyfit(t, seg, 1)
            res += np.sum((seg - np.polyval(coef, t)) ** 2)
            boxes += 1
        if boxes and res / (boxes * n) > 1e-12:
            logs_n.append(np.log(n))
            logs_f.append(0.5 * np.log(res / (boxes * n)))
    if len(logs_n) < 3:
        return None
    return float(np.polyfit(logs_n, logs_f, 1)[0])


def windows(rr):
    t = np.cumsum(rr) / 1000.0
    out, next_t, start = [], WINDOW_S, 0
    for e in range(len(rr)):
        while t[e] - t[start] >= WINDOW_S:
            start += 1
        if t[e] < next_t:
            continue
        next_t = t[e] + STEP_S
        w = rr[start:e + 1]
        if len(w) < 50:
            continue
        peaks = np.concatenate([[0], np.cumsum(np.round(w * 1000).astype(np.int64))])
        ht = nk.hrv_time(peaks, sampling_rate=1_000_000)
        a_nk2, _ = nk.fractal_dfa(w, scale=np.arange(4, 17))
        out.append({
            "end": e, "start": start, "beats": int(len(w)),
            "rmssd": float(ht["HRV_RMSSD"].iloc[0]), "sdnn": float(ht["HRV_SDNN"].iloc[0]),
            "alpha1_nk2": float(a_nk2), "alpha1_aligned": aligned_alpha1(rr[:e + 1], start),
        })
    return out


def kubios(rr):
    """neurokit2's Lipponen-Tarvainen correction of the beat times (ms, 1 kHz peaks)."""
    peaks = np.concatenate([[0], np.round(np.cumsum(rr))]).astype(np.int64)
    info, clean = nk.signal_fixpeaks(peaks, sampling_rate=1000, iterative=True, method="Kubios")
    return {"peaks_in": len(peaks), "peaks": [int(p) for p in clean],
            "ectopic": [int(i) for i in info["ectopic"]], "missed": [int(i) for i in info["missed"]],
            "extra": [int(i) for i in info["extra"]], "longshort": [int(i) for i in info["longshort"]]}


def main():
    series = []
    rr = polar_h10()
    series.append({"name": "polar-h10-detectpvc", "source": "fixtures:detectpvc-polar-h10 (range 250-2000 ms)", "windows": windows(rr)})
    for kind, subject in [("AEROBIC", "S02"), ("STRESS", "S04"), ("ANAEROBIC", "S13")]:
        rr = e4_ibi(kind, subject)
        series.append({"name": f"e4-{kind.lower()}-{subject}", "source": f"fixtures:physionet {kind}/{subject}/IBI.csv (range 250-2000 ms)", "windows": windows(rr)})
    for seed in (1, 2):
        rr, kinds = synthetic(seed)
        series.append({"name": f"synthetic-{seed}", "source": "synthetic", "artifacts": kinds,
                       "rr": rr.tolist(), "windows": windows(rr)})
    corrections = []
    for s_ in series:
        if "rr" in s_:
            corrections.append({"name": s_["name"], **kubios(np.array(s_["rr"]))})
    corrections.append({"name": "polar-h10-detectpvc", **kubios(polar_h10())})
    out = {"generator": "scripts/hrv_golden.py", "neurokit2": nk.__version__, "window_seconds": WINDOW_S,
           "step_seconds": STEP_S, "series": series, "kubios": corrections}
    path = os.path.join(ROOT, "Tests", "Fixtures", "golden", "hrv.json")
    if "--check" in sys.argv:
        with open(path) as f:
            committed = json.load(f)
        fresh = json.loads(json.dumps(out))
        def same(a, b):
            if isinstance(a, float) or isinstance(b, float):
                return a is not None and b is not None and abs(a - b) <= 1e-9 * max(1.0, abs(a))
            if isinstance(a, dict):
                return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
            if isinstance(a, list):
                return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
            return a == b
        if not same(committed, fresh):
            sys.exit("hrv_golden: Tests/Fixtures/golden/hrv.json differs from a fresh computation")
        print("hrv_golden: committed golden values reproduced", file=sys.stderr)
        return
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    for s in series:
        w = s["windows"]
        d = [abs(x["alpha1_nk2"] - x["alpha1_aligned"]) for x in w if x["alpha1_aligned"] is not None]
        if not d:
            print(f"{s['name']}: {len(w)} windows", file=sys.stderr)
            continue
        print(f"{s['name']}: {len(w)} windows, |alpha1 nk2 - aligned| median {np.median(d):.3f} p90 {np.percentile(d, 90):.3f}", file=sys.stderr)


if __name__ == "__main__":
    main()
