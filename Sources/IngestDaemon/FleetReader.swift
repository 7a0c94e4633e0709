import SystemCall
import Foundation
import Ingest
import SystemdKit

/// One finished session as a gateway's journal recorded it.
public struct FleetSession: Codable, Sendable, Equatable {
    /// The gateway: the entry's `_HOSTNAME` and `_MACHINE_ID` (set by the gateway's journald).
    public var gateway: String
    public var machineId: String
    public var device: String
    /// Who wore the strap (absent for sessions from before athletes existed).
    public var athlete: String?
    public var id: String
    public var `class`: String
    public var confidence: Double
    public var durationSeconds: Double
    public var trimp: Double
    public var start: String
    /// Index name → value (units and grades are in the session's SESSION_JSON).
    public var stimulus: [String: Double]

    enum CodingKeys: String, CodingKey {
        case gateway, device, athlete, id, `class`, confidence, trimp, start, stimulus
        case machineId = "machine_id", durationSeconds = "duration_seconds"
    }
}

/// Rebuilds every gateway's sessions from journal files alone: the `session-ended` entries
/// (MESSAGE_ID match, no text parsing), each carrying the whole summary in SESSION_JSON.
/// Entries that are not ours or are damaged are skipped and counted; a session seen twice (the
/// same machine and ID, e.g. uploaded twice) counts once.
public struct FleetReader {
    /// The sessions found, oldest first.
    public private(set) var sessions: [FleetSession] = []
    /// Entries with our MESSAGE_ID that could not be read, with why.
    public private(set) var skipped: [String] = []
    /// Sessions seen more than once and counted once.
    public private(set) var duplicates = 0

    /// Reads `directory`; `since` (Unix seconds) skips older entries.
    public init(directory: String, since: Double? = nil) throws(SystemCallError) {
        let journal = try JournalReader(directory: directory)
        try journal.match("MESSAGE_ID", EventMessage.Kind.sessionEnded.messageID)
        if let since { try journal.seek(realtime: UInt64(max(0, since) * 1_000_000)) }
        var seen: Set<String> = []
        let decoder = JSONDecoder()
        while try journal.next() {
            let host = journal.field("_HOSTNAME") ?? "unknown host"
            let machine = journal.field("_MACHINE_ID") ?? ""
            guard let json = journal.field("SESSION_JSON") else {
                skipped.append("\(host): a session-ended entry without SESSION_JSON")
                continue
            }
            guard let record = try? decoder.decode(SessionRecord.self, from: Data(json.utf8)) else {
                skipped.append("\(host): SESSION_JSON is not a session summary (\(json.prefix(60))…)")
                continue
            }
            guard seen.insert(machine + "/" + record.id).inserted else {
                duplicates += 1
                continue
            }
            var stimulus: [String: Double] = [:]
            for s in record.stimulus { if let v = s.value { stimulus[s.index] = v } }
            sessions.append(FleetSession(gateway: host, machineId: machine, device: record.device, athlete: record.athlete, id: record.id,
                                         class: record.class.rawValue, confidence: record.confidence,
                                         durationSeconds: record.durationSeconds, trimp: record.trimp.banister,
                                         start: record.start, stimulus: stimulus))
        }
    }
}
