import Glibc
import Ingest
import Storage

/// `ingestctl status` as a person reads it: a few aligned lines in the manner of `systemctl status`.
public enum StatusText {
    /// Whether the process of a snapshot is still alive and is an ingestd.
    public static func isRunning(_ s: StatusSnapshot) -> Bool {
        guard let bytes = try? WholeFile.read("/proc/\(s.pid)/comm") else { return false }
        return String(decoding: bytes, as: UTF8.self).hasPrefix("ingestd")
    }

    /// The status text.
    public static func describe(_ s: StatusSnapshot, running: Bool) -> String {
        let dot = running ? "●" : "○"
        var lines = ["\(dot) ingestd — WearableIngest heart-rate daemon"]
        let active: String
        if running {
            active = "active (\(s.state)) since \(s.startedAt); pid \(s.pid)"
        } else {
            let why = s.state == "running" || s.state == "starting" ? "dead, last seen \(s.state)" : s.state
            active = "inactive (\(why)) since \(s.updatedAt); last pid \(s.pid)"
        }
        lines.append("     Active: \(active)")
        let speed = s.speed.map { ", speed \($0)" } ?? ""
        lines.append("     Source: \(s.mode) \(s.source)\(speed)")
        for d in s.devices { lines.append("      Strap: " + strapLine(d)) }
        let unsaved = s.sessionsNotSaved.map { $0 > 0 ? ", \($0) ended but NOT SAVED" : "" } ?? ""
        lines.append("   Sessions: \(s.sessionsRecorded) recorded in \(s.stateDirectory)/sessions\(unsaved)")
        for b in s.recentSessions {
            lines.append("             \(b.id)  \(b.class) (\(format2(b.confidence)))  \(Int((b.durationSeconds / 60).rounded())) min  mean HR \(Int(b.meanHr.rounded()))  max \(Int(b.maxHr.rounded()))  TRIMP \(b.trimp)")
        }
        if let n = s.storageErrors, n > 0 { lines.append("    Storage: \(n) error\(n == 1 ? "" : "s") since start (journalctl -u ingestd for each cause)") }
        if let e = s.lastError { lines.append("      Error: \(e)") }
        return lines.joined(separator: "\n")
    }

    /// One strap in one line: address (name), link state, samples, HR, session, contact, battery.
    public static func strapLine(_ d: StatusSnapshot.Device) -> String {
        let name = d.address == "00:00:00:00:00:00" ? "replayed trace" : d.address + (d.name.map { " (\($0))" } ?? "")
        var text = "\(name): " + (d.link.map { "\($0), " } ?? "") + "\(d.samples) samples"
        if let hr = d.heartRate { text += ", HR \(hr) bpm" }
        if let t = d.traceTime { text += " at \(t)" }
        if let id = d.sessionId { text += ", in session \(id) (\(d.sessionClass ?? "unclassified"))" }
        if let a = d.artifactPercent, a > 0 { text += ", \(format2(a)) % RR artifacts" }
        if d.badNotifications > 0 { text += ", \(d.badNotifications) bad notifications" }
        if let c = d.contact, c != "not supported" { text += ", skin contact \(c)" }
        if let b = d.battery { text += ", battery \(b) %" }
        if let l = d.location { text += ", worn on \(l)" }
        if let r = d.reconnects, r > 0 { text += ", \(r) reconnects" }
        if let e = d.ecg { text += ", ECG \(e)" + (d.ecgSamples.map { " (\($0) samples)" } ?? "") }
        return text
    }
}
