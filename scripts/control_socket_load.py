#!/usr/bin/env python3
"""How long can clients hold ingestd's loop? Starts a release ingestd (replay, --keep-running) on
a state directory with N stored sessions, opens M clients that ask for `sessions` and never read,
then times `status` requests from another client: the worst latency is the longest any client
held the loop. Usage: scripts/control_socket_load.py [--sessions 300] [--silent 20] [--bin .build/release]"""
import argparse, json, os, shutil, socket, subprocess, sys, tempfile, time

p = argparse.ArgumentParser()
p.add_argument("--sessions", type=int, default=300)
p.add_argument("--silent", type=int, default=20)
p.add_argument("--bin", default=".build/release")
a = p.parse_args()
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
fit = os.path.join(root, "Tests/Fixtures/fit-analyzer-jarkko/20474406937_ACTIVITY.fit")
state = tempfile.mkdtemp(prefix="wi-load-")
ingestd = os.path.join(a.bin, "ingestd")
subprocess.run([ingestd, "--replay", fit, "--speed", "max", "--state-directory", state], check=True, capture_output=True)
sessions = os.path.join(state, "sessions")
original = [f for f in os.listdir(sessions) if f.endswith(".json")][0]
text = open(os.path.join(sessions, original)).read()
for k in range(a.sessions):
    other = "20240101T%06dZ-replay" % k
    open(os.path.join(sessions, other + ".json"), "w").write(text.replace(original[:-5], other))
sock = os.path.join(state, "control")
d = subprocess.Popen([ingestd, "--replay", fit, "--speed", "max", "--state-directory", state, "--control-socket", sock,
                      "--keep-running"], stderr=subprocess.DEVNULL)

def ask(request, read=True):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sock)
    s.sendall((json.dumps(request) + "\n").encode())
    if not read:
        return s
    data = b""
    while not data.endswith(b"\n"):
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    return data

for _ in range(100):
    try:
        ask({"request": "status"}); break
    except OSError:
        time.sleep(0.1)
size = len(ask({"request": "sessions"}))
silent = [ask({"request": "sessions"}, read=False) for _ in range(a.silent)]
worst = 0.0
for _ in range(50):
    t = time.monotonic()
    ask({"request": "status"})
    worst = max(worst, time.monotonic() - t)
    time.sleep(0.02)
print(f"{a.silent} clients holding a {size / 1e6:.1f} MB `sessions` answer ({a.sessions + 1} sessions) unread: "
      f"worst `status` latency {worst * 1000:.1f} ms over 50 requests")
for s in silent:
    s.close()
d.terminate(); d.wait()
shutil.rmtree(state)
