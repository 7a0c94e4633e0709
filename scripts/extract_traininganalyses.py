#!/usr/bin/env python3
"""Rebuilds Tests/Fixtures/traininganalyses-zwift/zwift-45-15.csv from the package's own data file.

The source, `test_data.rda` (simenlokken/traininganalyses, MIT), is its author's indoor Zwift
session — "a 45/15 10 x 30 interval progressing from heavy to severe intensity domain" (the
package's R/test_data.R): a FIT export read into R, one row per second, with `record.heart_rate`
from the rider's strap and FIT timestamps (seconds since 1989-12-31). Written in the project's
CSV trace format (DESIGN.md): Unix seconds, bpm, no RR; rows without a heart rate are left out.

    pip install rdata && python3 scripts/extract_traininganalyses.py [--check]

--check (run by scripts/evaluate) fails when the committed CSV differs from a fresh extraction.
"""
import os, sys
import pandas
import rdata

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from extract_detectpvc import write_or_check  # noqa: E402

FOLDER = os.path.join(HERE, "..", "Tests", "Fixtures", "traininganalyses-zwift")
FIT_EPOCH = 631_065_600  # 1989-12-31T00:00:00Z in Unix seconds


def extract():
    frame = rdata.read_rda(os.path.join(FOLDER, "test_data.rda"))["test_data"]
    lines = ["# Zwift 45/15 intervals, from simenlokken/traininganalyses data/test_data.rda (MIT); scripts/extract_traininganalyses.py",
             "timestamp,hr,rr"]
    for t, hr in zip(frame["record.timestamp[s]"], frame["record.heart_rate[bpm]"]):
        if not pandas.isna(t) and not pandas.isna(hr):
            lines.append(f"{int(t) + FIT_EPOCH},{int(hr)},")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    write_or_check(os.path.join(FOLDER, "zwift-45-15.csv"), extract(), "test_data.rda")
