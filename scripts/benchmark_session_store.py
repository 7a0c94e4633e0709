#!/usr/bin/env python3
"""How long reading the stored sessions takes with N of them: the files of earlier versions
against the state database (issue 18, item 4).

The work: one real session summary (the bundled Garmin strength session replayed by ingestd)
copied N times with its own ID, start and athlete (16 athletes, a session every 3 h), written
as sessions/ID.json exports. Then, with the binaries in --bin-dir:
  * the daemon's first start, which imports them into the database (when it has one),
  * `ingestctl sessions --json` (every session), `ingestctl sessions --athlete a07 --json`
    (one athlete's), `ingestctl week --athlete a07 --json`,
  * the control socket's `sessions` request answered by the running daemon.
Each read is timed as the median of --repeat runs of the whole process or request.

    swift build -c release && python3 scripts/benchmark_session_store.py --bin-dir .build/release [--sessions 10000]
Give --bin-dir the release binaries of a commit from before the database to get the "before".
"""
import argparse, json, os, shutil, socket, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
FIXTURE = os.path.join(ROOT, "Tests", "Fixtures", "fit-analyzer-jarkko", "20474406937_ACTIVITY.fit")
SHORT = os.path.join(ROOT, "Tests", "Fixtures", "fit-analyzer-jarkko", "20748058539_ACTIVITY.fit")
ATHLETES = [f"a{k:02d}" for k in range(16)]


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def seed(bin_dir, state, n):
    subprocess.run([os.path.join(bin_dir, "ingestd"), "--replay", FIXTURE, "--speed", "max", "--state-directory", state],
                   check=True, capture_output=True)
    sessions = os.path.join(state, "sessions")
    original = next(f for f in os.listdir(sessions) if f.endswith(".json"))
    base = json.load(open(os.path.join(sessions, original)))
    shutil.rmtree(state)
    os.makedirs(sessions, mode=0o700)
    os.chmod(state, 0o700)
    t0 = 1_700_000_000
    for k in range(n):
        r = dict(base)
        start = t0 + k * 3 * 3600
        strap = f"A09E1A{k % 16:06X}"
        r["id"] = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(start)) + "-" + strap
        r["device"] = ":".join(strap[i:i + 2] for i in range(0, 12, 2))
        r["athlete"] = ATHLETES[k % 16]
        r["start_unix"], r["end_unix"] = start, start + base["duration_seconds"]
        r["start"], r["end"] = iso(start), iso(start + base["duration_seconds"])
        with open(os.path.join(sessions, r["id"] + ".json"), "w") as f:
            json.dump(r, f, indent=2)
    return base


def timed(cmd, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True)
        times.append(time.perf_counter() - t)
        if p.returncode != 0:
            sys.exit(f"{' '.join(cmd)}: exit {p.returncode}: {p.stderr.decode()[-400:]}")
    return statistics.median(times), p.stdout


def request(path, line):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.sendall((line + "\n").encode())
    data = b""
    while not data.endswith(b"\n"):
        chunk = s.recv(1 << 20)
        if not chunk:
            break
        data += chunk
    s.close()
    return data


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin-dir", required=True)
    ap.add_argument("--sessions", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    bin_dir = os.path.abspath(args.bin_dir)
    work = tempfile.mkdtemp(prefix="wi-store-bench-")
    state = os.path.join(work, "state")
    seed(bin_dir, state, args.sessions)
    ctl = os.path.join(bin_dir, "ingestctl")
    sock = os.path.join(work, "control")

    t = time.perf_counter()
    daemon = subprocess.Popen([os.path.join(bin_dir, "ingestd"), "--replay", SHORT, "--speed", "max", "--state-directory", state,
                               "--control-socket", sock, "--keep-running"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while True:
        try:
            if b'"ok":true' in request(sock, '{"request":"status"}'):
                break
        except OSError:
            pass
        if daemon.poll() is not None:
            sys.exit("ingestd stopped: " + daemon.stderr.read().decode()[-400:])
        time.sleep(0.01)
    first_start = time.perf_counter() - t
    has_db = os.path.exists(os.path.join(state, "ingestd.sqlite"))
    try:
        sock_times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            answer = request(sock, '{"request":"sessions"}')
            sock_times.append(time.perf_counter() - t)
        reply = json.loads(answer)
        listed = len(reply["result"]) if "result" in reply else "failed: " + reply.get("error", "?")
        all_s, out = timed([ctl, "sessions", "--json", "--state-directory", state], args.repeat)
        one_s, one = timed([ctl, "sessions", "--athlete", "a07", "--json", "--state-directory", state], args.repeat)
        week_s, _ = timed([ctl, "week", "--athlete", "a07", "--json", "--state-directory", state,
                           "--config", write_config(work)], args.repeat)
    finally:
        daemon.terminate()
        daemon.wait()
    print(json.dumps({
        "sessions_stored": args.sessions, "backend": "sqlite" if has_db else "json files",
        "first_start_s": round(first_start, 3),
        "control_sessions_request_s": round(statistics.median(sock_times), 4), "control_sessions_listed": listed,
        "ingestctl_sessions_all_s": round(all_s, 4), "listed_all": out.count(b"\n"),
        "ingestctl_sessions_one_athlete_s": round(one_s, 4), "listed_one_athlete": one.count(b"\n"),
        "ingestctl_week_one_athlete_s": round(week_s, 4),
    }, indent=2))
    shutil.rmtree(work)


def write_config(work):
    path = os.path.join(work, "athletes.toml")
    with open(path, "w") as f:
        for a in ATHLETES:
            f.write(f'[[athlete]]\nid = "{a}"\nstraps = ["A0:9E:1A:00:00:{int(a[1:]):02X}"]\n\n')
    return path


if __name__ == "__main__":
    main()
