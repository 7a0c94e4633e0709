import Foundation
import Ingest
import Storage
import Physiology

/// The control socket's requests and answers: one JSON object per line each way.
///
/// Requests: `{"request":"status"}`, `{"request":"devices"}`, `{"request":"sessions"}`,
/// `{"request":"session","id":ID}`, `{"request":"week"}` (`"athlete":ID` for one person's),
/// `{"request":"athletes"}`, `{"request":"assign","strap":ADDRESS,"athlete":ID}`. Answers: `{"ok":true,"result":…}` or
/// `{"ok":false,"error":"…"}`.
public enum ControlProtocol {
    /// The answer line to a request line.
    static func respond(to line: String, status: StatusWriter, sessions catalog: SessionCatalog, athletes: AthleteDesk,
                        stateDirectory: String) -> String {
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
            return success(catalog.json())
        case "session":
            guard let id = object["id"] as? String else { return failure("\"session\" needs an \"id\"") }
            guard SessionRecord.isIdentifier(id) else { return failure("not a session ID (YYYYMMDDThhmmssZ-STRAP)") }
            guard let bytes = try? WholeFile.read(stateDirectory + "/sessions/" + id + ".json", followingSymlinks: false) else {
                return failure("no session \(id)")
            }
            return success(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        case "week":
            var problems: [String] = []
            let sessions = WeeklyStore.load(path: stateDirectory + "/" + WeeklyStore.fileName, problems: &problems)
            let roster = athletes.roster
            let id = object["athlete"] as? String ?? roster.defaultID
            guard let athlete = roster.athlete(id: id) else { return failure("no athlete \"\(id.prefix(64))\"") }
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

    static func success(_ json: String) -> String { #"{"ok":true,"result":"# + json + "}" }

    static func failure(_ message: String) -> String {
        #"{"ok":false,"error":"# + JSONLines.line([message]).dropFirst().dropLast() + "}"
    }
}
