import Physiology
import Traces

/// The JSON form of one athlete (`ingestctl athletes --json`, the control socket's `athletes`):
/// who they are, their straps, what the user gave, what was learned, and the HRmax and HRrest
/// their next session starts from.
public struct AthleteRecord: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    /// Whether straps nobody claims are theirs.
    public var isDefault: Bool
    /// Straps the config gives them, and straps given to them by `ingestctl assign`.
    public var straps: [String]
    public var assignedStraps: [String]
    /// Straps the daemon has now whose next session is theirs (absent when read from files).
    public var wearing: [String]?
    public var age: Int?
    public var sex: String?
    public var restingHeartRate: Double?
    public var maximumHeartRate: Double?
    /// What their sessions showed, with where it came from.
    public var learned: LearnedHeartRate?
    /// The reference the next session starts from (the engine's rule: a given HRrest wins, a
    /// higher clean HR than the given or predicted HRmax wins).
    public var nextSession: SessionRecord.Reference

    enum CodingKeys: String, CodingKey {
        case id, name, straps, wearing, age, sex, learned
        case isDefault = "default", assignedStraps = "assigned_straps", restingHeartRate = "resting_heart_rate"
        case maximumHeartRate = "maximum_heart_rate", nextSession = "next_session"
    }

    /// Every athlete of `roster`; `wearing` lists the straps the daemon has, with whose they are.
    public static func all(_ roster: AthleteRoster, learned: [String: LearnedHeartRate],
                           wearing: [(DeviceAddress, String)]? = nil) -> [AthleteRecord] {
        roster.athletes.map { a in
            var engine = PhysiologyEngine(profile: a.profile)
            let known = learned[a.id]
            engine.startFrom(observedMaximum: known?.maximum?.bpm, observedResting: known?.resting?.bpm)
            let reference = engine.reference
            return AthleteRecord(
                id: a.id, name: a.name, isDefault: a.id == roster.defaultID, straps: a.straps,
                assignedStraps: roster.assignments.filter { $0.value == a.id }.keys.sorted(),
                wearing: wearing.map { $0.filter { $0.1 == a.id }.map(\.0.description).sorted() },
                age: a.profile.age, sex: a.profile.sex?.rawValue, restingHeartRate: a.profile.restingHeartRate,
                maximumHeartRate: a.profile.maximumHeartRate, learned: known,
                nextSession: SessionRecord.Reference(hrMax: round1(reference.maximum), hrRest: round1(reference.resting)))
        }
    }
}
