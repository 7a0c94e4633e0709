#!/usr/bin/env python3
"""Synthetic hard cases for the session classifier (Tests/PhysiologyTests/HardCaseTests.swift).

Each case is a workload schedule turned into 1 Hz heart rate with first-order kinetics
(on-response tau 25 s, off-response tau 50 s; a 10-s lag as in real HR), AR(1) noise of about
2 bpm, for a 30-year-old with HRrest 58 and HRmax 190. The CSV files and expected.json are
written to Tests/Fixtures/synthetic/; the expectations and their reasons are in expected.json.

    python3 scripts/synthetic_sessions.py
"""
import json, math, os, random

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "synthetic")
REST, MAX = 58.0, 190.0


def hrr(x):
    return REST + x * (MAX - REST)


def render(schedule, seed):
    """schedule: list of (seconds, target HRR fraction). Returns [(t, hr)]."""
    rng = random.Random(seed)
    hr, noise, t, out = hrr(0.05), 0.0, 1_700_000_000, []
    lagged = []
    for seconds, x in schedule:
        target = hrr(x)
        for _ in range(int(seconds)):
            tau = 25.0 if target > hr else 50.0
            hr += (target - hr) / tau
            noise = 0.85 * noise + rng.gauss(0, 1.0)
            lagged.append(hr + noise)
            shown = lagged[-10] if len(lagged) >= 10 else lagged[0]
            out.append((t, int(round(shown))))
            t += 1
    return out


def rest(minutes, x=0.05):
    return [(minutes * 60, x)]


CASES = {}


def case(name, expect, why, schedule, segments=None):
    CASES[name] = {"expect": expect, "why": why, "schedule": schedule, "segments": segments}


def repeat(n, block):
    return [step for _ in range(n) for step in block]


case("circuit-training", ["endurance", "unclassified"],
     "10 stations x 3 rounds, 40 s work / 20 s moving on: HR cannot recover in 20 s, so it "
     "rises to a plateau with small ripples. PHYSIOLOGY.md: circuit training looks like steady "
     "cardio from HR alone; calling it resistance or HIIT would be a guess.",
     rest(5) + [(300, 0.3)] + repeat(30, [(40, 0.72), (20, 0.5)]) + rest(10))
case("heavy-compound-lifting", ["resistance"],
     "5 exercises x 5 sets of heavy compound lifts (~30 s) with 3-4 min rests: many moderate "
     "oscillations (peaks ~60 % HRR, back to ~30 %) at a low mean load.",
     rest(5) + [(420, 0.3)] + repeat(25, [(35, 0.62), (200, 0.22)]) + rest(10))
case("tabata", ["unclassified", "hiit", "endurance"],
     "10-min jog warm-up, 8 x (20 s all-out / 10 s rest), cool-down: 20/10 is too fast for HR "
     "to follow, so the Tabata block is one rise; the session is mostly an easy jog. Any "
     "label but resistance is defensible; none can be claimed from HR alone.",
     rest(5) + [(600, 0.45)] + repeat(8, [(20, 0.95), (10, 0.6)]) + [(600, 0.3)] + rest(10))
case("tempo-run", ["endurance"],
     "Threshold run: 10 min warm-up, 20 min at ~88 % HRmax, 10 min cool-down. Much time above "
     "85 % HRmax, but HR settles and stays: endurance, not HIIT (PHYSIOLOGY.md).",
     rest(5) + [(600, 0.55)] + [(1200, 0.83)] + [(600, 0.4)] + rest(12))
case("4x4-intervals", ["hiit"],
     "Wisløff 4x4: 4 min at ~90-95 % HRmax, 3 min active recovery, after a 10-min warm-up: "
     "a few large oscillations with high peaks and deep recoveries.",
     rest(5) + [(600, 0.5)] + repeat(4, [(240, 0.93), (180, 0.45)]) + [(300, 0.35)] + rest(12))
case("long-easy-ride-with-hills", ["endurance"],
     "90 min at ~65 % HRmax with four 5-min climbs to ~80 %: swings stay inside the working "
     "zone (troughs high), the ride is endurance.",
     rest(5) + repeat(4, [(900, 0.45), (300, 0.68), (150, 0.45)]) + [(1200, 0.45)] + rest(12))
case("run-then-lift", ["endurance", "resistance"],
     "30-min steady run, then 35 min of lifting (sets of 40 s, 100-s rests): two segments, "
     "endurance then resistance, and the session label is the longer of the two.",
     rest(5) + [(1800, 0.6)] + [(180, 0.3)] + repeat(15, [(40, 0.55), (100, 0.25)]) + rest(12),
     segments=["endurance", "resistance"])
case("rest-day-with-stairs", [],
     "Two hours sitting with three 1-min stair climbs: no session at all.",
     rest(40) + [(60, 0.45)] + rest(40) + [(60, 0.5)] + rest(30) + [(60, 0.45)] + rest(10))


def main():
    os.makedirs(OUT, exist_ok=True)
    expected = {}
    for i, (name, c) in enumerate(CASES.items()):
        with open(os.path.join(OUT, name + ".csv"), "w") as f:
            f.write(f"# synthetic: {name} (scripts/synthetic_sessions.py)\n# {c['why']}\n")
            f.write("timestamp,hr,rr\n")
            for t, hr in render(c["schedule"], seed=100 + i):
                f.write(f"{t},{hr},\n")
        expected[name] = {"accept": c["expect"], "why": c["why"], "segments": c["segments"]}
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
