#!/usr/bin/env python3
"""Many gateways through the journal: events per second through systemd-journal-remote and the
end-to-end lag, for N simulated gateways on loopback (run as root; needs systemd-journal-remote).

    swift build -c release && python3 scripts/fleet_benchmark.py [--gateways 1 8 32]

Each gateway (scripts/simulate_gateway: own hostname, machine ID and journald) first replays two
real FIT recordings through the real ingestd. Then all N `systemd-journal-upload`s start at once
against one `systemd-journal-remote --listen-http` on 127.0.0.1. Reported per N: the entries the
collector received, events/s (entries / time until every upload finished) and the lag until
`ingestctl fleet` on the collector's files shows every gateway's sessions.
"""
import argparse, json, os, shutil, subprocess, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests/Fixtures/fit-analyzer-jarkko")
RECORDINGS = sorted(os.path.join(FIXTURES, f) for f in os.listdir(FIXTURES) if f.endswith(".fit"))


def run(n, ingestd, ingestctl, port):
    work = tempfile.mkdtemp(prefix=f"fleet-{n}-")
    try:
        for g in range(n):
            subprocess.run([f"{ROOT}/scripts/simulate_gateway", f"{work}/gw{g}", f"gateway-{g}", ingestd,
                            RECORDINGS[g % len(RECORDINGS)], RECORDINGS[(g + 1) % len(RECORDINGS)]], check=True)
        os.makedirs(f"{work}/remote")
        collector = subprocess.Popen(["/lib/systemd/systemd-journal-remote", f"--listen-http=127.0.0.1:{port}",
                                      f"--output={work}/remote/", "--split-mode=host"], stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        t0 = time.monotonic()
        uploads = [subprocess.Popen(["/lib/systemd/systemd-journal-upload", f"--url=http://127.0.0.1:{port}",
                                     f"--directory={work}/gw{g}/journal.2", "--follow=no",
                                     f"--save-state={work}/gw{g}/upload.state"], stderr=subprocess.DEVNULL)
                   for g in range(n)]
        for u in uploads:
            u.wait()
        uploaded = time.monotonic() - t0
        while True:
            r = subprocess.run([ingestctl, "fleet", "--journal-dir", f"{work}/remote", "--json"], capture_output=True, text=True)
            if len(r.stdout.splitlines()) >= 2 * n or time.monotonic() - t0 > 120:
                break
            time.sleep(0.05)
        lag = time.monotonic() - t0
        collector.terminate()
        collector.wait()
        entries = subprocess.run(["journalctl", "-D", f"{work}/remote", "-o", "export", "--no-pager"],
                                 capture_output=True).stdout.splitlines()
        entries = sum(1 for line in entries if line.startswith(b"__CURSOR="))
        sessions = len(r.stdout.splitlines())
        print(f"N={n:3d}: {entries} entries, {sessions} sessions shown (expected {2 * n}); "
              f"{entries / uploaded:,.0f} events/s through the collector; end-to-end lag {lag:.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gateways", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--ingestd", default=os.path.join(ROOT, ".build/release/ingestd"))
    parser.add_argument("--ingestctl", default=os.path.join(ROOT, ".build/release/ingestctl"))
    parser.add_argument("--port", type=int, default=19633)
    args = parser.parse_args()
    for n in args.gateways:
        run(n, args.ingestd, args.ingestctl, args.port)


if __name__ == "__main__":
    main()
