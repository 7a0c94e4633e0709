#!/usr/bin/env python3
"""Synthetic hard cases for the session classifier (Tests/PhysiologyTests/HardCaseTests.swift).

Each case is a workload schedule turned into 1 Hz heart rate with first-order kinetics
(on-response tau 25 s, off-response tau 50 s; a 10-s lag as in real HR), AR(1) noise of about
2 bpm, for a 30-year-old with HRrest 58 and HRmax 190. The CSV files and expected.json are
written to Tests/Fixtures/synthetic/; the expectations and their reasons are in expected.json.

    python3 scripts/synthetic_sessions.py

With --population N it is the physiological simulator (issue 19, item 5) instead: N varied
sessions of each class (resistance, endurance, HIIT, and non-exercise days), each for a random
person (HRmax 160-205, HRrest 42-78, on/off time constants, cardiovascular drift) on a random
device (a chest strap with RR intervals, or wrist optical HR: a 10-s average, 4-12 s of lag and
drop-outs, and for half of those a watch's "smart recording", 2-10 s between samples), from a
randomized protocol of its class. --analyze runs `ingestctl analyze` on every file and prints
what it called each class, per device: a stress test, never the score.

    python3 scripts/synthetic_sessions.py --population 200 --analyze .build/release/ingestctl [--seed 19]
"""
import argparse, collections, json, math, os, random, subprocess, sys, tempfile

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

case("hard-steady-run", ["endurance"],
     "A 5-10 km race effort: 3 min easy, then 21 min held at ~88 % HRR (mean ~175 bpm), "
     "cool-down. HR climbs in the first minutes and then stays: steady-but-hard is endurance, "
     "and the climb is no swing (issue 19, kind 1).",
     rest(5) + [(180, 0.5)] + [(1260, 0.88)] + [(300, 0.3)] + rest(12))
case("jog-recovery-intervals", ["hiit"],
     "Track intervals: after a 10-min jog, 6 x (2 min fast / 2 min jog); the jogs keep HR "
     "near 55 % HRR, so recoveries never drop far, but the series repeats like a clock and "
     "gives back much of each rise (issue 19, kind 2).",
     rest(5) + [(600, 0.45)] + repeat(6, [(120, 0.92), (120, 0.55)]) + [(300, 0.3)] + rest(12))
case("bike-blocks", ["hiit"],
     "Bike intervals: 4 x 6 min hard (~88 % HRR) / 3 min easy spinning, after a 10-min "
     "warm-up: a few large, regular oscillations (issue 19, kind 3).",
     rest(5) + [(600, 0.4)] + repeat(4, [(360, 0.88), (180, 0.3)]) + [(300, 0.3)] + rest(12))

case("45-15-blocks", ["hiit"],
     "Bike blocks of 45 s on / 15 s off: after a 10-min warm-up, 3 blocks of 12 min with 2-min "
     "easy spins between (the shape of the Zwift ride in Tests/Fixtures/traininganalyses-zwift). "
     "15-s breaks are too short for HR to drop, so troughs stay high, but every block swings "
     "and comes back to near the top (issue 19, kind 3).",
     rest(5) + [(600, 0.45)] + repeat(3, repeat(12, [(45, 0.97), (15, 0.65)]) + [(120, 0.4)]) + [(300, 0.3)] + rest(12))
case("long-jog-intervals", ["hiit"],
     "A run of 4 x (5 min fast / 10 min jogged) after a 15-min warm-up: HR falls to ~55 % HRR "
     "and drifts up through the jog, so each rise seems to last from the trough ~13 min, "
     "but the series repeats like a clock and its peaks pass 85 % HRmax; timed from the onset "
     "of each climb, the intervals are interval-long (the shape of a Suunto interval run; "
     "issue 19, kind 2).",
     rest(5) + [(900, 0.5)]
     + repeat(4, [(300, 0.95)] + [(120, 0.55 + 0.025 * k) for k in range(5)])
     + [(300, 0.3)] + rest(12))

case("heavy-lifting-long-rests", ["resistance"],
     "A strength session of 5 exercises x 4 heavy sets (~35 s, peaks ~55 % HRR) with 4-min rests "
     "and 7 min to move on to the next exercise: sets come more seldom than they usually do, as "
     "seldom as a ride with stops rises, but each rise climbs only as long as a set lasts.",
     rest(5) + [(420, 0.3)]
     + repeat(5, repeat(3, [(35, 0.55), (240, 0.22)]) + [(35, 0.55), (420, 0.22)]) + rest(10))
case("light-strength-session", ["resistance"],
     "A light session of 25 min, HR ~90-110: after a 5-min warm-up, 9 sets of ~45 s at ~38 % HRR "
     "with 90-s rests near 20 %. The sets barely pass the bout threshold and the session is too "
     "short for a long series, so every score may stay below the threshold; a rest timer's "
     "rhythm of sets is what shows it was lifting (issue 19, kind 6).",
     rest(5) + [(300, 0.25)] + repeat(9, [(45, 0.38), (90, 0.2)]) + rest(10))

# MARK: the simulator

class Person:
    def __init__(self, rng):
        self.hr_max = rng.uniform(160, 205)
        self.hr_rest = rng.uniform(42, 78)
        self.tau_on = rng.uniform(15, 40)     # s, HR rise toward a harder target
        self.tau_off = rng.uniform(35, 80)    # s, HR recovery
        self.drift = rng.uniform(0.0, 0.06)   # HRR fraction gained per hour of work (drift)
        self.hrv = rng.uniform(0.01, 0.06)    # beat-to-beat RR variation at rest (fraction)

    def hr(self, x):
        return self.hr_rest + x * (self.hr_max - self.hr_rest)


def simulate(schedule, person, wrist, rng, t0=1_700_000_000):
    """Heart rate at 1 Hz (and RR for a chest strap) for a schedule of (seconds, HRR fraction)."""
    hr, noise, worked, t = person.hr(0.05), 0.0, 0.0, t0
    true, out = [], []
    for seconds, x in schedule:
        for _ in range(int(seconds)):
            if x > 0.3:
                worked += 1
            target = person.hr(min(1.0, x + person.drift * worked / 3600))
            hr += (target - hr) / (person.tau_on if target > hr else person.tau_off)
            noise = 0.85 * noise + rng.gauss(0, 0.8)
            true.append(hr + noise)
    lag = rng.randint(4, 12) if wrist else 0
    # Wrist optical HR often under-reads hard work (cadence lock, loose band): the rise above
    # rest is scaled by a gain, for a third of wrist sessions down to 55 % (H).
    gain = rng.uniform(0.55, 0.9) if wrist and rng.random() < 0.33 else 1.0
    true = [person.hr_rest + gain * (h - person.hr_rest) for h in true] if gain < 1 else true
    dropping = 0
    for i in range(len(true)):
        if wrist:
            j = max(0, i - lag)
            window = true[max(0, j - 9):j + 1]
            shown = sum(window) / len(window)
            if dropping > 0:
                dropping -= 1
                t += 1
                continue
            if rng.random() < 0.002:  # lost contact for 5-60 s
                dropping = rng.randint(5, 60)
            out.append((t, int(round(shown)), []))
        else:
            beats, spent = [], 0.0
            while spent < 1.0:
                rr = 60.0 / true[i] * (1 + rng.gauss(0, person.hrv * (1.2 - min(1.0, (true[i] - person.hr_rest) / 100))))
                beats.append(round(rr * 1000, 1))
                spent += rr
            out.append((t, int(round(true[i])), beats))
        t += 1
    return out


def smart_recording(rows, rng):
    """What a watch set to "smart recording" keeps of 1 Hz samples: a sample when HR has moved
    2 bpm from the last one kept, else one every 6-10 s (the longest interval drawn per session),
    as in the Garmin files of the real set (most intervals 1-10 s) (H)."""
    longest = rng.randint(6, 10)
    kept = []
    for t, hr, beats in rows:
        if not kept or abs(hr - kept[-1][1]) >= 2 or t - kept[-1][0] >= longest:
            kept.append((t, hr, beats))
    return kept


def protocol(kind, rng):
    """A randomized schedule of the given class, and its name."""
    warm = [(rng.randint(300, 900), rng.uniform(0.3, 0.5))]
    cool = [(rng.randint(180, 600), rng.uniform(0.2, 0.35))]
    pre, post = rest(rng.randint(2, 8)), rest(rng.randint(10, 15))
    if kind == "endurance":
        style = rng.choice(["steady", "tempo", "hard-steady", "graded", "hills", "long"])
        if style == "steady":
            body = [(rng.randint(1500, 3600), rng.uniform(0.45, 0.7))]
        elif style == "tempo":
            body = [(rng.randint(1200, 2400), rng.uniform(0.75, 0.9))]
        elif style == "hard-steady":  # a short warm-up, then held very hard (a 5-10 km race effort)
            warm = [(rng.randint(60, 240), rng.uniform(0.4, 0.6))]
            body = [(rng.randint(1080, 1800), rng.uniform(0.85, 0.95))]
        elif style == "graded":
            steps = rng.randint(6, 12)
            body = [(rng.randint(150, 300), 0.3 + 0.6 * k / steps) for k in range(steps)]
        elif style == "hills":
            body = repeat(rng.randint(3, 6), [(rng.randint(480, 900), rng.uniform(0.45, 0.6)),
                                              (rng.randint(180, 420), rng.uniform(0.65, 0.8))])
        else:
            body = [(rng.randint(4800, 7200), rng.uniform(0.4, 0.6))]
    elif kind == "hiit":
        style = rng.choice(["4x4", "short", "sprints", "jog-recovery", "bike-blocks", "45-15"])
        if style == "4x4":
            body = repeat(rng.randint(3, 6), [(rng.randint(180, 300), rng.uniform(0.85, 0.97)), (rng.randint(120, 240), rng.uniform(0.35, 0.5))])
        elif style == "short":
            body = repeat(rng.randint(10, 20), [(rng.randint(30, 60), rng.uniform(0.85, 1.0)), (rng.randint(30, 90), rng.uniform(0.2, 0.4))])
        elif style == "sprints":
            body = repeat(rng.randint(3, 6), [(30, 1.0), (rng.randint(180, 270), rng.uniform(0.1, 0.25))])
        elif style == "jog-recovery":
            body = repeat(rng.randint(4, 8), [(rng.randint(90, 150), rng.uniform(0.85, 0.95)), (rng.randint(90, 150), rng.uniform(0.5, 0.6))])
        elif style == "bike-blocks":
            body = repeat(rng.randint(3, 5), [(360, rng.uniform(0.8, 0.92)), (180, rng.uniform(0.25, 0.4))])
        else:  # blocks of 45 s on / 15 s off with easy spinning between blocks
            block = repeat(rng.randint(6, 10), [(45, rng.uniform(0.9, 1.0)), (15, rng.uniform(0.2, 0.35))])
            body = [step for _ in range(rng.randint(2, 4)) for step in block + [(rng.randint(180, 300), rng.uniform(0.2, 0.35))]]
    elif kind == "resistance":
        style = rng.choice(["heavy", "hypertrophy", "light", "circuit-ish"])
        sets = rng.randint(12, 30)
        if style == "heavy":
            body = repeat(sets, [(rng.randint(20, 45), rng.uniform(0.5, 0.65)), (rng.randint(150, 240), rng.uniform(0.15, 0.25))])
        elif style == "hypertrophy":
            body = repeat(sets, [(rng.randint(40, 70), rng.uniform(0.45, 0.62)), (rng.randint(60, 120), rng.uniform(0.2, 0.3))])
        elif style == "light":
            body = repeat(sets, [(rng.randint(30, 60), rng.uniform(0.3, 0.42)), (rng.randint(60, 120), rng.uniform(0.12, 0.2))])
        else:
            body = repeat(sets, [(rng.randint(40, 60), rng.uniform(0.55, 0.7)), (rng.randint(45, 75), rng.uniform(0.3, 0.4))])
        # Sets come in exercises of 2-5: moving on to the next one (setting up, changing weights)
        # adds 30-180 s to that rest, so set periods vary as in real sessions (0.3-0.65), not
        # like a metronome (H).
        left = rng.randint(2, 5)
        for i in range(1, len(body), 2):
            left -= 1
            if left == 0:
                body[i] = (body[i][0] + rng.randint(30, 180), body[i][1])
                left = rng.randint(2, 5)
        warm = [(rng.randint(300, 600), rng.uniform(0.25, 0.35))]
    else:
        style = rng.choice(["rest", "stress", "stairs", "walk-about", "day"])
        if style == "rest":
            return style, rest(rng.randint(40, 120))
        if style == "stress":  # seated tasks (speech, arithmetic) that raise HR within a minute
            tasks = repeat(rng.randint(2, 5), [(rng.randint(120, 360), rng.uniform(0.12, 0.3)), (rng.randint(180, 420), 0.05)])
            return style, rest(rng.randint(5, 10)) + tasks + rest(10)
        if style == "day":  # hours of a day: sitting, short walks, stairs, standing up
            day = []
            for _ in range(rng.randint(20, 40)):
                day += rest(rng.randint(5, 25), rng.uniform(0.03, 0.1))
                day.append(rng.choice([(rng.randint(120, 900), rng.uniform(0.15, 0.3)),
                                       (rng.randint(30, 90), rng.uniform(0.35, 0.5)), (rng.randint(60, 300), rng.uniform(0.1, 0.2))]))
            return style, day
        if style == "stairs":
            return style, rest(20) + repeat(rng.randint(2, 4), [(rng.randint(40, 90), rng.uniform(0.4, 0.55)), (rng.randint(600, 1500), 0.05)])
        return style, repeat(rng.randint(4, 8), [(rng.randint(120, 400), rng.uniform(0.15, 0.28)), (rng.randint(300, 900), 0.06)])
    # People do not repeat a protocol like a metronome: every step's length varies by up to
    # ±15 % and its intensity by ±0.03 HRR (H).
    body = [(max(5, round(sec * rng.uniform(0.85, 1.15))), min(1.0, max(0.0, x + rng.uniform(-0.03, 0.03)))) for sec, x in body]
    return style, pre + warm + body + cool + post


def population(n, out, seed):
    rng = random.Random(seed)
    labels = []
    for kind in ["resistance", "endurance", "hiit", "none"]:
        for k in range(n):
            # Each session draws from a generator of its own, so changing one protocol does not
            # reshuffle every session after it.
            own = random.Random(rng.random())
            person, wrist = Person(own), own.random() < 0.4
            style, schedule = protocol(kind, own)
            rows = simulate(schedule, person, wrist, own)
            # Half the wrist sessions come from a watch that records "smart" (drawn after the
            # session, so the other draws of a seed stay as they were).
            device = "watch" if wrist and own.random() < 0.5 else "wrist" if wrist else "chest"
            if device == "watch":
                rows = smart_recording(rows, own)
            name = f"{kind}-{k:04d}-{style}-{device}.csv"
            what = {"chest": "chest strap", "wrist": "wrist optical", "watch": "wrist optical, smart recording"}
            with open(os.path.join(out, name), "w") as f:
                f.write(f"# simulated {kind} ({style}), HRmax {person.hr_max:.0f}, HRrest {person.hr_rest:.0f}, "
                        f"{what[device]} (scripts/synthetic_sessions.py --seed {seed})\n")
                f.write("timestamp,hr,rr\n")
                for t, hr, beats in rows:
                    f.write(f"{t},{hr},{' '.join(str(b) for b in beats)}\n")
            labels.append({"file": name, "class": kind, "style": style, "device": device})
    with open(os.path.join(out, "labels.json"), "w") as f:
        json.dump(labels, f, indent=1)
    return labels


def analyze(labels, out, ingestctl):
    table = collections.defaultdict(collections.Counter)
    styles = collections.defaultdict(collections.Counter)
    crashes = 0
    for item in labels:
        p = subprocess.run([ingestctl, "analyze", os.path.join(out, item["file"]), "--json"], capture_output=True, text=True)
        if p.returncode not in (0,):
            crashes += 1
            print(f"{item['file']}: exit {p.returncode}: {p.stderr[-200:]}", file=sys.stderr)
            continue
        sessions = [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")]
        called = max(sessions, key=lambda s: s["duration_seconds"])["class"] if sessions else "no session"
        table[(item["class"], item["device"])][called] += 1
        styles[(item["class"], item["style"])][called] += 1
    columns = ["resistance", "endurance", "hiit", "unclassified", "no session"]
    print(f"{'truth / device':24}" + "".join(f"{c:>14}" for c in columns) + f"{'correct':>10}")
    for (truth, device), counts in sorted(table.items()):
        n = sum(counts.values())
        right = counts[truth] if truth != "none" else counts["no session"] + counts["unclassified"]
        print(f"{truth + ' / ' + device:24}" + "".join(f"{counts[c]:>14}" for c in columns) + f"{right / n:>10.0%}")
    print(f"{'truth / protocol':24}")
    for (truth, style), counts in sorted(styles.items()):
        n = sum(counts.values())
        right = counts[truth] if truth != "none" else counts["no session"] + counts["unclassified"]
        print(f"{truth + ' / ' + style:24}" + "".join(f"{counts[c]:>14}" for c in columns) + f"{right / n:>10.0%}")
    print(f"analyze failures: {crashes} of {len(labels)}")
    return crashes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--population", type=int, help="simulate N sessions of each class instead of the hard cases")
    ap.add_argument("--out", help="directory for the simulated sessions (default: a new temporary one)")
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--analyze", metavar="INGESTCTL", help="run `INGESTCTL analyze` on every simulated file and tabulate")
    args = ap.parse_args()
    if args.population is None:
        return hard_cases()
    out = args.out or tempfile.mkdtemp(prefix="wi-simulated-")
    os.makedirs(out, exist_ok=True)
    labels = population(args.population, out, args.seed)
    print(f"{len(labels)} simulated sessions in {out}")
    if args.analyze and analyze(labels, out, args.analyze):
        sys.exit(1)


def hard_cases():
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
