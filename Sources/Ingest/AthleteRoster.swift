import HeartRateWire
import Traces

/// Who wears which strap: the configured athletes, the default person for straps nobody claims,
/// and the assignments made at run time (`ingestctl assign`), which win over the config.
public struct AthleteRoster: Sendable, Equatable {
    /// The `[[athlete]]` entries (or the one `[athlete]`), in config order.
    public private(set) var athletes: [Athlete]
    /// The ID of the person straps nobody claims belong to.
    public private(set) var defaultID: String
    /// Strap address (upper case) → athlete ID, set by `assign`; an ID no longer configured is
    /// ignored (the strap falls back to its claimant or the default).
    public var assignments: [String: String]

    /// A roster of `athletes` (the default is the entry without straps, else the one with the
    /// ID `default`, else a built-in `default` person with no profile) and run-time `assignments`.
    public init(athletes: [Athlete], assignments: [String: String] = [:]) {
        var list = athletes
        if let fallback = list.first(where: { $0.straps.isEmpty }) ?? list.first(where: { $0.id == Athlete.defaultID }) {
            defaultID = fallback.id
        } else {
            defaultID = Athlete.defaultID
            list.append(Athlete(id: Athlete.defaultID, name: "default athlete"))
        }
        self.athletes = list
        self.assignments = assignments
    }

    /// The athlete with `id`, if configured.
    public func athlete(id: String) -> Athlete? { athletes.first { $0.id == id } }

    /// The person straps nobody claims belong to.
    public var defaultAthlete: Athlete { athlete(id: defaultID) ?? Athlete(id: defaultID) }

    /// Who wears the strap with `address` (and advertised `name`, when known): its assignment,
    /// else the entry that claims it, else the default person.
    public func athlete(for address: DeviceAddress, name: String? = nil) -> Athlete {
        let key = address.description.uppercased()
        if let id = assignments[key], let assigned = athlete(id: id) { return assigned }
        return athletes.first { $0.claims(address: key, name: name) } ?? defaultAthlete
    }
}
