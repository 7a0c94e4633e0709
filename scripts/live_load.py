#!/usr/bin/env python3
"""Load figure for the live path: N simulated straps at 1 notification/s each through a private
system bus and BlueZoo, and the CPU that the real ingestd spends on them, as % of one core.

    swift build -c release && python3 scripts/live_load.py [--straps 16] [--seconds 180] [--backend direct [--ecg]]

Starts its own dbus-daemon, BlueZoo (Tests/Peripherals/bluezoo_patched.py, hci0 = gateway) and one
peripheral process with N straps playing 0x2A37 values built from the real Polar RR log; waits
until every strap streams, then reads ingestd's utime+stime from /proc over the measuring window.
BlueZoo's and the peripherals' CPU are printed for context (they stand in for bluetoothd and the
radio, and cost far more than a real bluetoothd would).

With --backend direct there is no bus: N Tests/Peripherals/att_server.py processes serve the
straps over AF_UNIX SOCK_SEQPACKET and ingestd runs with --simulated-straps, so the figure is the
direct backend's ATT client, raw log and engine. --ecg adds a Polar ECG frame (73 samples) after
each heart-rate value with polar_ecg on (a real H10 sends ~1.8 frames/s, so this is about half).
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
    parser.add_argument("--backend", choices=["bluez", "direct"], default="bluez")
    parser.add_argument("--ecg", action="store_true")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="live-load-")
    procs = []
    try:
        if args.backend == "direct":
            return direct(args, work, procs)
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
        devices = wait_streaming(args, work)
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


def ecg_frames(count):
    """PMD ECG frames (type 0, frame type 0, 73 signed 24-bit samples) with 130 Hz timestamps."""
    out = []
    for f in range(count):
        samples = b"".join((((i * 7919 + f) % 4001) - 2000).to_bytes(3, "little", signed=True) for i in range(73))
        out.append(bytes([0]) + round((f * 73 + 72) / 130 * 1e9).to_bytes(8, "little") + bytes([0]) + samples)
    return out


def wait_streaming(args, work):
    deadline = time.time() + 60
    while time.time() < deadline:
        r = subprocess.run([args.ingestctl, "devices", "--json", "--socket", f"{work}/control"], capture_output=True, text=True)
        try:
            devices = json.loads(r.stdout)
        except ValueError:
            devices = []
        if len(devices) == args.straps and all(d.get("link") == "streaming" for d in devices):
            return devices
        time.sleep(0.5)
    sys.exit(f"not every strap streamed within 60 s; see {work}/ingestd.log")


def direct(args, work, procs):
    count = int(args.seconds) + 120
    with open(f"{work}/n.hex", "w") as f:
        f.write("\n".join(v.hex() for v in polar_notifications(count)) + "\n")
    if args.ecg:
        with open(f"{work}/ecg.hex", "w") as f:
            f.write("\n".join(v.hex() for v in ecg_frames(count)) + "\n")
    os.makedirs(f"{work}/straps")
    addresses = ["A0:9E:1A:00:%02X:%02X" % (n >> 8, n & 0xFF) for n in range(1, args.straps + 1)]
    servers = []
    for a in addresses:
        extra = ["--ecg", f"{work}/ecg.hex"] if args.ecg else []
        servers.append(subprocess.Popen([sys.executable, f"{ROOT}/Tests/Peripherals/att_server.py", f"{work}/straps", a,
                                         f"{work}/n.hex", "--interval", "1", "--mtu", "232"] + extra))
    procs.extend(servers)
    while not all(os.path.exists(f"{work}/straps/" + a.replace(":", "") + ".sock") for a in addresses):
        time.sleep(0.05)
    with open(f"{work}/c.toml", "w") as f:
        f.write('[bluetooth]\nbackend = "direct"\nstraps = [%s]\npolar_ecg = %s\n'
                % (", ".join('"%s"' % a for a in addresses), "true" if args.ecg else "false"))
    daemon = subprocess.Popen([args.ingestd, "--config", f"{work}/c.toml", "--state-directory", f"{work}/state",
                               "--control-socket", f"{work}/control", "--simulated-straps", f"{work}/straps"],
                              stderr=open(f"{work}/ingestd.log", "w"))
    procs.append(daemon)
    devices = wait_streaming(args, work)
    start = cpu_seconds(daemon.pid)
    before = {d["address"]: d["samples"] for d in devices}
    t0 = time.monotonic()
    time.sleep(args.seconds)
    elapsed = time.monotonic() - t0
    used = cpu_seconds(daemon.pid) - start
    r = subprocess.run([args.ingestctl, "devices", "--json", "--socket", f"{work}/control"], capture_output=True, text=True)
    after = json.loads(r.stdout)
    samples = sum(d["samples"] - before.get(d["address"], 0) for d in after)
    ecg = sum(d.get("ecg_samples", 0) for d in after)
    print(f"direct backend: {args.straps} simulated straps at 1 notification/s"
          + (f" plus 1 ECG frame each ({ecg} ECG samples in all)" if args.ecg else "")
          + f", measured over {elapsed:.0f} s, {samples} notifications")
    print(f"ingestd: {100 * used / elapsed:.3f} % of one core ({1e6 * used / max(samples, 1):.0f} µs of CPU per notification)")


if __name__ == "__main__":
    main()
