import Ingest

/// `ingestctl fleet` as a person reads it: per gateway, per strap, one line per session.
public enum FleetText {
    /// The text for `sessions` (any order; grouped and sorted here).
    public static func describe(_ sessions: [FleetSession]) -> String {
        guard !sessions.isEmpty else { return "no sessions in these journal files" }
        var lines: [String] = []
        let gateways = Dictionary(grouping: sessions) { $0.gateway + " " + $0.machineId }
        for key in gateways.keys.sorted() {
            let list = gateways[key]!
            let first = list[0]
            lines.append("\(first.gateway) (machine \(first.machineId.prefix(12))): \(list.count) session\(list.count == 1 ? "" : "s")")
            let straps = Dictionary(grouping: list, by: \.device)
            for device in straps.keys.sorted() {
                lines.append("  strap \(device)")
                for s in straps[device]!.sorted(by: { $0.start < $1.start }) {
                    let stimulus = s.stimulus.keys.sorted().prefix(3).map { "\($0) \(format2(s.stimulus[$0]!))" }.joined(separator: ", ")
                    lines.append("    \(s.id)  \(s.class) (\(format2(s.confidence)))  \(Int((s.durationSeconds / 60).rounded())) min  TRIMP \(s.trimp)"
                                 + (stimulus.isEmpty ? "" : "  \(stimulus)"))
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
