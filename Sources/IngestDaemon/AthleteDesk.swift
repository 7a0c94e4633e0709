import Foundation
import Ingest
import Storage
import Traces

/// Who wears which strap in a running daemon: the configured athletes, the assignments and
/// learned heart rates of the `AthleteStore`, and every strap's pipeline, which it asks for its
/// wearer between sessions. It answers the control socket's `athletes` and `assign` requests.
final class AthleteDesk {
    private var configured: AthleteRoster
    let store: AthleteStore
    private let logger: EventLogger
    private var pipelines: [DeviceAddress: StrapPipeline] = [:]
    private var names: [DeviceAddress: String] = [:]
    private let startsFromLearned: Bool

    /// A desk for `roster`; sessions start from the learned heart rates when `startsFromLearned`
    /// (live straps), else from the config alone (a replay: reproducible), learning either way.
    init(roster: AthleteRoster, store: AthleteStore, logger: EventLogger, startsFromLearned: Bool) {
        configured = roster
        self.startsFromLearned = startsFromLearned
        self.store = store
        self.logger = logger
        store.onLearned = { [unowned store] id in  // the store holds this closure: no cycle
            let l = store.learned[id]
            logger.log("athlete \(id): learned HRmax \(l?.maximum.map { "\(Int($0.bpm)) (\($0.session))" } ?? "none"), HRrest \(l?.resting.map { "\(Int($0.bpm)) (\($0.session))" } ?? "none")",
                       kind: .athlete, fields: [("ATHLETE_ID", id), ("SESSION_ID", l?.maximum?.session ?? l?.resting?.session ?? ""),
                                                ("LEARNED_HR_MAX", l?.maximum.map { String($0.bpm) } ?? ""),
                                                ("LEARNED_HR_REST", l?.resting.map { String($0.bpm) } ?? "")])
        }
    }

    /// The configured athletes with the assignments made since.
    var roster: AthleteRoster {
        var r = configured
        r.assignments = store.assignments
        return r
    }

    /// Who wears `address` now, and what was learned of them.
    func wearer(of address: DeviceAddress) -> (Athlete, LearnedHeartRate?) {
        let athlete = roster.athlete(for: address, name: names[address])
        return (athlete, startsFromLearned ? store.learned[athlete.id] : nil)
    }

    /// Takes `pipeline` (a newly made one for its strap, advertised as `name`) into the roster.
    func adopt(_ pipeline: StrapPipeline, name: String?) {
        if let name { names[pipeline.device] = name }
        pipelines[pipeline.device] = pipeline
        pipeline.wearer = { [unowned self] in wearer(of: $0) }
        pipeline.updateWearer()
    }

    /// A strap's advertised name became known (it may be what an athlete's `straps` names).
    func named(_ address: DeviceAddress, _ name: String?) {
        guard let name, names[address] != name else { return }
        names[address] = name
        pipelines[address]?.updateWearer()
    }

    /// New `[[athlete]]` entries (SIGHUP): every strap takes its wearer anew, from its next session.
    func reload(_ roster: AthleteRoster) {
        guard roster != configured else { return }
        configured = roster
        for pipeline in pipelines.values { pipeline.updateWearer() }
        logger.log("athletes reloaded: \(roster.athletes.map(\.id).joined(separator: ", ")) (default \(roster.defaultID))",
                   kind: .athlete, fields: [("ATHLETE_ID", roster.defaultID)])
    }

    /// Gives `strap` (an address) to the athlete `id` from its next session on; the control
    /// socket's answer line (what was done, or why not).
    func assign(strap: String, to id: String) -> String {
        guard let address = DeviceAddress(strap) else { return ControlProtocol.failure("\"\(strap.prefix(40))\" is not a strap address (AA:BB:CC:DD:EE:FF)") }
        guard Athlete.isIdentifier(id), let athlete = configured.athlete(id: id) else {
            return ControlProtocol.failure("no athlete \"\(id.prefix(64))\" in the config (known: \(configured.athletes.map(\.id).joined(separator: ", ")))")
        }
        let before = roster.athlete(for: address, name: names[address]).id
        if let error = store.assign(strap: address.description, to: athlete.id) {
            return ControlProtocol.failure("assignment not saved: \(error)")
        }
        let running = pipelines[address]?.sessionID
        pipelines[address]?.updateWearer()
        let when = running.map { "after session \($0) ends" } ?? "from its next session"
        logger.log("strap \(address) assigned to athlete \(athlete.id) (was \(before)), \(when)", kind: .athlete,
                   fields: [("ATHLETE_ID", athlete.id), ("DEVICE_ADDRESS", address.description), ("PREVIOUS_ATHLETE_ID", before)])
        return ControlProtocol.success(JSONLines.line(["strap": address.description, "athlete": athlete.id, "previous": before, "effective": when]))
    }

    /// The `athletes` answer: every athlete with their straps, profile and learned values.
    func json() -> String {
        JSONLines.line(AthleteRecord.all(roster, learned: store.learned, wearing: pipelines.keys.map { ($0, wearer(of: $0).0.id) }))
    }
}
