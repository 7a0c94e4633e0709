#!/usr/bin/env python3
"""Decodes a FIT file with Garmin's own SDK (PyPI garmin-fit-sdk) and prints what it read as one
JSON object: errors, integrity, message counts, heart rates and RR intervals (ms). Used by the
tests to check the FIT exports of ingestd.

    pip install garmin-fit-sdk && python3 scripts/validate_fit.py FILE.fit
"""
import json, sys
from garmin_fit_sdk import Decoder, Stream


def main():
    out = {"is_fit": Decoder(Stream.from_file(sys.argv[1])).is_fit(),
           "integrity": Decoder(Stream.from_file(sys.argv[1])).check_integrity()}
    messages, errors = Decoder(Stream.from_file(sys.argv[1])).read(convert_datetimes_to_dates=False)
    out["errors"] = [str(e) for e in errors]
    out["counts"] = {k: len(v) for k, v in messages.items()}
    out["heart_rates"] = [m.get("heart_rate") for m in messages.get("record_mesgs", [])]
    rr = []
    for m in messages.get("hrv_mesgs", []):
        rr += [round(t * 1000, 3) for t in m.get("time", []) if t is not None]
    out["rr_ms"] = rr
    s = (messages.get("session_mesgs") or [{}])[0]
    out["session"] = {k: s.get(k) for k in ("sport", "sub_sport", "avg_heart_rate", "max_heart_rate", "total_elapsed_time")}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
