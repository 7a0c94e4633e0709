#!/usr/bin/env python3
"""Real-time quality of the classifier (issue 19, item 6): on every labelled workout in
../shared/data/real, how often the label a live display showed 10 minutes into the session
(the last `provisional_labels` entry at or before 600 s after its start) is the session's final
class, and how long the first label took.

    swift build -c release && python3 scripts/realtime_agreement.py [--at 600]
"""
import argparse, os, statistics, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import classifier_loso as loso  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--at", type=float, default=600, help="seconds after the session's start")
    ap.add_argument("--ingestctl", default=os.path.join(loso.ROOT, ".build", "release", "ingestctl"))
    args = ap.parse_args()
    recs = loso.collect(args.ingestctl)
    agree = disagree = unlabelled = 0
    latencies = []
    for rec in recs:
        if rec["truth"] not in loso.CLASSES:
            continue
        for s in rec["sessions"]:
            if s.get("duration_seconds", 0) < args.at:
                continue
            labels = s.get("provisional_labels") or []
            if labels:
                latencies.append(labels[0]["after_seconds"])
            shown = [l for l in labels if l["after_seconds"] <= args.at]
            if not shown:
                unlabelled += 1
            elif shown[-1]["class"] == s["class"]:
                agree += 1
            else:
                disagree += 1
    n = agree + disagree + unlabelled
    if n == 0:
        sys.exit("no workout session long enough")
    print(f"sessions of workouts lasting >= {args.at:.0f} s: {n}")
    print(f"  label at {args.at:.0f} s equals the final class: {agree}/{n} ({agree / n:.0%}); "
          f"another class: {disagree}; no label yet: {unlabelled}")
    if latencies:
        q = sorted(latencies)
        print(f"  first label after the session's start: median {statistics.median(q):.0f} s, "
              f"90th percentile {q[int(0.9 * (len(q) - 1))]:.0f} s, n={len(q)}")


if __name__ == "__main__":
    main()
