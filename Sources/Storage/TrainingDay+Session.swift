import Ingest
import Physiology
import Traces

extension TrainingDay {
    /// The weekly facts of a finished session.
    public init(_ r: SessionRecord) {
        var endurance = 0.0
        var strength = r.class == .resistance
        for s in r.segments {
            guard let a = ISO8601.parse(s.start), let b = ISO8601.parse(s.end) else { continue }
            if s.class == .endurance { endurance += (b - a) / 60 }
            if s.class == .resistance { strength = true }
        }
        self.init(id: r.id, start: r.startUnix, trimp: r.trimp.banister,
                  moderateMinutes: r.load.hrrZoneMinutes["40_60"] ?? 0,
                  vigorousMinutes: r.load.hrrZoneMinutes["60_plus"] ?? 0,
                  enduranceMinutes: endurance, strength: strength, athlete: r.athlete)
    }
}
