import Ingest
import Traces

/// How a strap's link transitions reach the journal, the same for both radio backends: the
/// message, the kind (connected, lost, state) and the fields `LINK_FROM`, `LINK_STATE`,
/// `LINK_REASON` (and `RETRY_SECONDS` while retrying).
enum StrapLinkJournal {
    static func log(_ t: StrapLinkTransition, address: DeviceAddress, machine: StrapLinkMachine,
                    fields: [(name: String, value: String)], logger: EventLogger) {
        let fields = fields + [("LINK_FROM", t.from.name), ("LINK_STATE", t.to.name), ("LINK_REASON", t.reason)]
        let who = "strap \(address)"
        switch t.to {
        case .streaming:
            logger.log("\(who) streaming (\(t.reason))", kind: .strapConnected, fields: fields)
        case .retrying:
            let wait = max(0, (machine.deadline ?? 0) - WallClock.monotonic())
            logger.log("\(who) lost: \(t.reason); retrying in \(Int(wait.rounded())) s", kind: .strapLost, priority: .warning,
                       fields: fields + [("RETRY_SECONDS", String(Int(wait.rounded())))])
        case .unsupported(let why):
            logger.log("\(who) unsupported: \(why)", kind: .strapLost, priority: .warning, fields: fields)
        case .offline:
            logger.log("\(who) offline: \(t.reason)", kind: .strapLost, priority: .warning, fields: fields)
        default:
            logger.log("\(who): \(t)", kind: .strapState, priority: .debug, fields: fields)
        }
    }
}
