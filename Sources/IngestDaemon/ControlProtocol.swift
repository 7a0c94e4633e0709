import Foundation
import Ingest
import Storage
import Physiology
import Traces

/// The control socket's requests and answers: one JSON object per line each way.
///
/// Requests: `{"request":"status"}`, `{"request":"devices"}`, `{"request":"sessions"}` (an
/// indexed query of the state database, filtered by `"athlete":ID`, `"since":"YYYY-MM-DD"`,
/// `"class":CLASS`; the newest `"limit":N` of them, 500 unless given, at most 1 000; `"before":ID`
/// for the page before that session), `{"request":"session","id":ID}`, `{"request":"week"}` (`"athlete":ID` for one person's),
/// `{"request":"athletes"}`, `{"request":"assign","strap":ADDRESS,"athlete":ID}`. Answers: `{"ok":true,"result":…}` or
/// `{"ok":false,"error":"…"}`.
public enum ControlProtocol {
    /// The answer line to a request line.
    static func respond(to line: String, status: StatusWriter, database: StateDatabase, athletes: AthleteDesk) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let request = object["request"] as? String else {
            return failure("not a JSON object with a \"request\" field")
        }
        switch request {
        case "status":
            return success(JSONLines.line(status.current))
        case "devices":
            return success(JSONLines.line(status.current.devices))
        case "sessions":
            var query = SessionQuery(defaultID: athletes.roster.defaultID)
            if let athlete = object["athlete"] {
                guard let id = athlete as? String, Athlete.isIdentifier(id) else { return failure("\"athlete\" is not an athlete ID") }
                query.athlete = id
            }
            if let since = object["since"] {
                guard let date = since as? String, let unix = ISO8601.parse(date + "T00:00:00Z") else {
                    return failure("\"since\" takes a date like \"2026-11-25\"")
                }
                query.since = unix
            }
            if let c = object["class"] {
                guard let name = c as? String, SessionClass(rawValue: name) != nil else {
                    return failure("\"class\" is one of resistance, endurance, hiit, unclassified")
                }
                query.sessionClass = name
            }
            query.limit = sessionsPerAnswer
            if let limit = object["limit"] {
                // A JSON number, or its digits as a string (what `ControlClient.request` sends).
                guard let n = (limit as? Int) ?? (limit as? String).flatMap({ Int($0) }), (0...maximumSessionsPerAnswer).contains(n) else {
                    return failure("\"limit\" is a count of sessions, 0 to \(maximumSessionsPerAnswer)")
                }
                query.limit = n
            }
            if let before = object["before"] {
                guard let id = before as? String, SessionRecord.isIdentifier(id) else {
                    return failure("\"before\" is a session ID (YYYYMMDDThhmmssZ-STRAP)")
                }
                query.before = id
            }
            do {
                return success("[" + (try database.summaries(query)).joined(separator: ",") + "]")
            } catch {
                return failure("sessions unreadable: \(error)")
            }
        case "session":
            guard let id = object["id"] as? String else { return failure("\"session\" needs an \"id\"") }
            guard SessionRecord.isIdentifier(id) else { return failure("not a session ID (YYYYMMDDThhmmssZ-STRAP)") }
            do {
                guard let summary = try database.summary(of: id) else { return failure("no session \(id)") }
                return success(summary)
            } catch {
                return failure("session \(id) unreadable: \(error)")
            }
        case "week":
            let roster = athletes.roster
            let id = object["athlete"] as? String ?? roster.defaultID
            guard let athlete = roster.athlete(id: id) else { return failure("no athlete \"\(id.prefix(64))\"") }
            let sessions: [TrainingDay]
            do {
                sessions = try database.days(athlete: athlete.id, defaultID: roster.defaultID)
            } catch {
                return failure("the week is unreadable: \(error)")
            }
            let week = WeekText.context(of: athlete.id, sessions, defaultID: roster.defaultID,
                                        today: Int((WallClock.now() / 86_400).rounded(.down)), genotype: athlete.ftoGenotype)
            return success(JSONLines.line(week))
        case "athletes":
            return success(athletes.json())
        case "assign":
            guard let strap = object["strap"] as? String, let athlete = object["athlete"] as? String else {
                return failure("\"assign\" needs a \"strap\" (address) and an \"athlete\" (ID)")
            }
            return athletes.assign(strap: strap, to: athlete)
        default:
            return failure("unknown request \"\(request)\" (status, devices, sessions, session, week, athletes, assign)")
        }
    }

    /// Sessions in one `sessions` answer unless the request says `limit` (a summary is about
    /// 7 KB: 500 are 3.5 MB), and at most (an answer stays under the server's 16 MiB).
    static let sessionsPerAnswer = 500
    static let maximumSessionsPerAnswer = 1_000

    static func success(_ json: String) -> String { #"{"ok":true,"result":"# + json + "}" }

    static func failure(_ message: String) -> String {
        #"{"ok":false,"error":"# + JSONLines.line([message]).dropFirst().dropLast() + "}"
    }
}
