#!/usr/bin/env python3
"""Rebuilds Tests/Fixtures/detectpvc-polar-h10/polar_h10.rr.csv from the package's own data file.

The source, `polar_h10.RData` (kbroman/detectPVC, MIT), is ten minutes of a Polar H10 as logged
by the ECGLogger app: one row per 130 Hz ECG sample, with `hr` and `rr` filled on the rows where
a heart-rate notification arrived. A notification with two RR intervals fills the `rr` of two
rows and the `hr` of the first only, so a row with `hr` starts a notification and the rows with
only `rr` after it are its further beats. Written in the project's CSV trace format (DESIGN.md):
one line per notification, Unix seconds with microseconds, bpm, the RR intervals in ms.

    pip install rdata && python3 scripts/extract_detectpvc.py [--check]

--check (run by scripts/evaluate) fails when the committed CSV differs from a fresh extraction.
"""
import os, sys
import pandas
import rdata

HERE = os.path.dirname(os.path.abspath(__file__))
FOLDER = os.path.join(HERE, "..", "Tests", "Fixtures", "detectpvc-polar-h10")


def extract():
    frame = rdata.read_rda(os.path.join(FOLDER, "polar_h10.RData"))["polar_h10"]
    lines = ["# Polar H10 via ECGLogger, from kbroman/detectPVC data/polar_h10.RData (MIT); scripts/extract_detectpvc.py",
             "timestamp,hr,rr"]
    current = None
    for time_ns, hr, rr in zip(frame["time"], frame["hr"], frame["rr"]):
        if pandas.isna(rr):
            continue
        has_hr = not pandas.isna(hr)
        if has_hr or current is None:
            if current is not None:
                lines.append(current)
            seconds = int(time_ns) / 1e9
            current = f"{seconds:.6f},{int(hr) if has_hr else ''},{int(rr)}"
        else:
            current += f" {int(rr)}"
    if current is not None:
        lines.append(current)
    return "\n".join(lines) + "\n"


def write_or_check(path, text, what):
    """Writes `text` to `path`, or with --check fails unless the file already holds it."""
    name = os.path.basename(sys.argv[0])
    if "--check" in sys.argv:
        with open(path) as f:
            if f.read() != text:
                sys.exit(f"{name}: {path} differs from a fresh extraction of {what}")
        print(f"{name}: {os.path.basename(path)} reproduced from {what}", file=sys.stderr)
        return
    with open(path, "w") as f:
        f.write(text)
    print(f"{name}: {text.count(chr(10)) - 2} rows written to {path}", file=sys.stderr)


def main():
    write_or_check(os.path.join(FOLDER, "polar_h10.rr.csv"), extract(), "polar_h10.RData")


if __name__ == "__main__":
    main()
