import Ingest
import Physiology

/// The weekly context for people: which week, and a few lines (`ingestctl week`, `status`).
public enum WeekText {
    /// The context as of `today` (days since 1970-01-01): the week ends today when the latest
    /// session is within the last 7 days, else on the latest session's day (a replay of old files).
    public static func context(_ sessions: [TrainingDay], today: Int, asOf: Int? = nil,
                               genotype: FTOGenotype?) -> WeekRecord {
        let (day, basis) = endDay(of: sessions, today: today, asOf: asOf)
        return WeekRecord(WeeklyContext(sessions: sessions, asOfDay: day, genotype: genotype), basis: basis)
    }

    /// The day a week of `sessions` ends on, and why: `asOf` when asked, the last session's
    /// day when that is over a week ago, else today.
    public static func endDay(of sessions: [TrainingDay], today: Int, asOf: Int? = nil) -> (day: Int, basis: String) {
        if let asOf { return (asOf, "as asked") }
        if let latest = sessions.map(\.day).max(), latest < today - 6 { return (latest, "its last session, over a week ago") }
        return (today, "today")
    }

    /// The sessions of athlete `id` (a session without an athlete is the default person's).
    public static func sessions(of id: String, in sessions: [TrainingDay], defaultID: String) -> [TrainingDay] {
        sessions.filter { ($0.athlete ?? defaultID) == id }
    }

    /// Athlete `id`'s week, as `context` with their sessions only.
    public static func context(of id: String, _ sessions: [TrainingDay], defaultID: String, today: Int, asOf: Int? = nil,
                               genotype: FTOGenotype?) -> WeekRecord {
        var week = context(Self.sessions(of: id, in: sessions, defaultID: defaultID), today: today, asOf: asOf, genotype: genotype)
        week.athlete = id
        return week
    }

    /// The day's sessions and load, for `status`.
    public static func today(_ sessions: [TrainingDay], day: Int) -> String {
        let list = sessions.filter { $0.day == day }
        let trimp = list.reduce(0) { $0 + $1.trimp }
        let minutes = list.reduce(0) { $0 + $1.moderateMinutes + $1.vigorousMinutes }
        return "\(list.count) session\(list.count == 1 ? "" : "s"), TRIMP \((trimp * 10).rounded() / 10), \(Int(minutes.rounded())) min at ≥ 40 % HRR"
    }

    /// A few aligned lines.
    public static func describe(_ w: WeekRecord, indent: String = "") -> [String] {
        var lines = [
            "\(indent)\(w.athlete.flatMap { $0 == Athlete.defaultID ? nil : "athlete \($0): " } ?? "")week ending \(w.weekEnding) (\(w.basis)): \(w.sessions) session\(w.sessions == 1 ? "" : "s")",
            "\(indent)  activity   \(Int(w.mvpaEquivalentMinutes.rounded())) MVPA-equivalent min (WHO 150–300), strength days \(w.strengthDays) of 2",
            "\(indent)  load       fitness (CTL) \(w.ctl), fatigue (ATL) \(w.atl), form (TSB) \(w.tsb)"
                + (w.acwr.map { ", ACWR \($0) (\(w.acwrFlag ?? ""))" } ?? "")
                + (w.monotonyFlag ? ", monotony high" : ""),
            "\(indent)  caution    HPG-axis/low-energy flag \(w.hpgAxisFlag) (\(w.enduranceHoursPerWeek12w) h/week endurance over 12 weeks; heuristic, not a diagnosis)",
        ]
        if let fto = w.ftoContext { lines.append("\(indent)  FTO        \(fto)") }
        return lines
    }
}
