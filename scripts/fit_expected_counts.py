#!/usr/bin/env python3
"""Counts FIT messages with fitdecode (the reference decoder) for the FIT reader's tests.

Run once when the recordings change; the output is committed as
Tests/Fixtures/fit-expected-counts.json and compared against our own decoder by
Tests/TracesTests/FITTraceReaderTests.swift.

    pip install fitdecode && python3 scripts/fit_expected_counts.py > Tests/Fixtures/fit-expected-counts.json
"""
import glob, json, os, sys
import fitdecode

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures")
out = {}
for path in sorted(glob.glob(os.path.join(root, "**", "*.fit"), recursive=True)):
    counts = {"record": 0, "record_with_heart_rate": 0, "hrv_rr": 0, "session": 0, "user_profile": 0}
    with fitdecode.FitReader(path, check_crc=fitdecode.CrcCheck.RAISE) as fr:
        for frame in fr:
            if not isinstance(frame, fitdecode.FitDataMessage):
                continue
            if frame.name == "record":
                counts["record"] += 1
                if frame.has_field("heart_rate") and frame.get_value("heart_rate") is not None:
                    counts["record_with_heart_rate"] += 1
            elif frame.name == "hrv":
                vals = frame.get_value("time")
                vals = vals if isinstance(vals, (list, tuple)) else [vals]
                counts["hrv_rr"] += sum(1 for v in vals if v is not None)
            elif frame.name in ("session", "user_profile"):
                counts[frame.name] += 1
    out[os.path.relpath(path, root)] = counts
json.dump(out, sys.stdout, indent=2, sort_keys=True)
print()
