import Ingest

/// `ingestctl fleet` as a person reads it: per gateway, per strap, one line per session.
public enum FleetText {
    /// How sessions are grouped under each gateway.
    public enum Grouping: String, CaseIterable, Sendable {
        case strap, athlete
    }

    /// The text for `sessions` (any order; grouped by gateway, then by strap or by athlete —
    /// `default` for sessions that name none — and sorted here).
    public static func describe(_ sessions: [FleetSession], by grouping: Grouping = .strap) -> String {
        guard !sessions.isEmpty else { return "no sessions in these journal files" }
        var lines: [String] = []
        let gateways = Dictionary(grouping: sessions) { $0.gateway + " " + $0.machineId }
        for key in gateways.keys.sorted() {
            let list = gateways[key]!
            let first = list[0]
            lines.append("\(first.gateway) (machine \(first.machineId.prefix(12))): \(list.count) session\(list.count == 1 ? "" : "s")")
            let groups = Dictionary(grouping: list) { grouping == .strap ? $0.device : $0.athlete ?? "default" }
            for key in groups.keys.sorted() {
                lines.append("  \(grouping.rawValue) \(key)")
                for s in groups[key]!.sorted(by: { $0.start < $1.start }) {
                    let other = grouping == .strap ? s.athlete.map { "  athlete \($0)" } ?? "" : "  strap \(s.device)"
                    let stimulus = s.stimulus.keys.sorted().prefix(3).map { "\($0) \(format2(s.stimulus[$0]!))" }.joined(separator: ", ")
                    lines.append("    \(s.id)  \(s.class) (\(format2(s.confidence)))  \(Int((s.durationSeconds / 60).rounded())) min  TRIMP \(s.trimp)"
                                 + (stimulus.isEmpty ? "" : "  \(stimulus)") + other)
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
