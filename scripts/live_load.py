#!/usr/bin/env python3
"""Load figure for the live path: N simulated straps at 1 notification/s each through a private
system bus and BlueZoo, and the CPU that the real ingestd spends on them, as % of one core.

    swift build -c release && python3 scripts/live_load.py [--straps 16] [--seconds 180]

Starts its own dbus-daemon, BlueZoo (Tests/Peripherals/bluezoo_patched.py, hci0 = gateway) and one
peripheral process with N straps playing 0x2A37 values built from the real Polar RR log; waits
until every strap streams, then reads ingestd's utime+stime from /proc over the measuring window.
BlueZoo's and the peripherals' CPU are printed for context (they stand in for bluetoothd and the
radio, and cost far more than a real bluetoothd would).
"""
import argparse, os, shutil, signal, subprocess, sys, tempfile, time, json

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("WEARABLEINGEST_SHARED", os.path.join(os.path.dirname(ROOT), "shared"))


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def polar_notifications(count):
    rows = open(os.path.join(SHARED, "data/real/fatmaxxer/FatMaxOptimiser.20210606_161059.rr.csv")).read().splitlines()[1:]
    beats = [float(r.split(",")[1]) for r in rows if len(r.split(",")) > 1]
    beats = [b for b in beats if 250 <= b <= 2000]
    out = []
    for i in range(0, min(len(beats) - 1, 2 * count), 2):
        a, b = beats[i], beats[i + 1]
        out.append(bytes([0x16, round(120000 / (a + b))]) + round(a * 1.024).to_bytes(2, "little") + round(b * 1.024).to_bytes(2, "little"))
    while len(out) < count:
        out += out[: count - len(out)]
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--straps", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--ingestd", default=os.path.join(ROOT, ".build/release/ingestd"))
    parser.add_argument("--ingestctl", default=os.path.join(ROOT, ".build/release/ingestctl"))
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="live-load-")
    procs = []
    try:
        with open(f"{work}/bus.conf", "w") as f:
            f.write(f"""<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>system</type><listen>unix:path={work}/bus</listen>
<policy context="default"><allow user="*"/><allow own="*"/><allow send_destination="*"/>
<allow receive_sender="*"/></policy></busconfig>""")
        procs.append(subprocess.Popen(["dbus-daemon", f"--config-file={work}/bus.conf", "--nofork"]))
        while not os.path.exists(f"{work}/bus"):
            time.sleep(0.05)
        env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=f"unix:path={work}/bus")
        adapters = [a for n in range(args.straps + 1) for a in ("-a", "00:00:00:00:%02X:%02X" % ((n + 1) >> 8, (n + 1) & 0xFF))]
        bluezoo = subprocess.Popen([sys.executable, f"{ROOT}/Tests/Peripherals/bluezoo_patched.py", "--auto-enable",
                                    "--scan-interval", "1", "-q"] + adapters, env=env, stderr=subprocess.DEVNULL)
        procs.append(bluezoo)
        time.sleep(1.5)
        count = int(args.seconds) + 120
        with open(f"{work}/n.hex", "w") as f:
            f.write("\n".join(v.hex() for v in polar_notifications(count)) + "\n")
        specs = [f"/org/bluez/hci{n},Strap {n},{work}/n.hex" for n in range(1, args.straps + 1)]
        peripheral = subprocess.Popen([sys.executable, f"{ROOT}/Tests/Peripherals/hr_strap.py", "--interval", "1"] + specs,
                                      env=env, stdout=subprocess.PIPE)
        procs.append(peripheral)
        peripheral.stdout.readline()
        daemon = subprocess.Popen([args.ingestd, "--state-directory", f"{work}/state", "--control-socket", f"{work}/control"],
                                  env=env, stderr=open(f"{work}/ingestd.log", "w"))
        procs.append(daemon)
        deadline = time.time() + 60
        while time.time() < deadline:
            r = subprocess.run([args.ingestctl, "devices", "--json", "--socket", f"{work}/control"], capture_output=True, text=True)
            try:
                devices = json.loads(r.stdout)
            except ValueError:
                devices = []
            if len(devices) == args.straps and all(d.get("link") == "streaming" for d in devices):
                break
            time.sleep(0.5)
        else:
            sys.exit(f"not every strap streamed within 60 s; see {work}/ingestd.log")
        start = {p.pid: cpu_seconds(p.pid) for p in (daemon, bluezoo, peripheral)}
        before = {d["address"]: d["samples"] for d in devices}
        t0 = time.monotonic()
        time.sleep(args.seconds)
        elapsed = time.monotonic() - t0
        used = {p.pid: cpu_seconds(p.pid) - start[p.pid] for p in (daemon, bluezoo, peripheral)}
        r = subprocess.run([args.ingestctl, "devices", "--json", "--socket", f"{work}/control"], capture_output=True, text=True)
        samples = sum(d["samples"] - before.get(d["address"], 0) for d in json.loads(r.stdout))
        print(f"straps: {args.straps} at 1 notification/s, measured over {elapsed:.0f} s, {samples} notifications")
        print(f"bluezoo (stand-in for bluetoothd): {100 * used[bluezoo.pid] / elapsed:.2f} % of one core")
        print(f"peripherals (stand-in for the radio): {100 * used[peripheral.pid] / elapsed:.2f} % of one core")
        print(f"ingestd: {100 * used[daemon.pid] / elapsed:.3f} % of one core "
              f"({1e6 * used[daemon.pid] / max(samples, 1):.0f} µs of CPU per notification)")
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM if p is procs[-1] else signal.SIGKILL)
                p.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
