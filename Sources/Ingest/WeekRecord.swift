import Physiology
import Traces

/// The JSON form of the weekly context (`ingestctl week --json`).
public struct WeekRecord: Codable, Sendable, Equatable {
    public var kind = "week"
    /// Whose week it is (nil: every session in the file).
    public var athlete: String?
    public var weekEnding: String
    public var basis: String
    public var sessions: Int
    public var mvpaEquivalentMinutes: Double
    public var whoTargets: [Double]
    public var strengthDays: Int
    public var whoStrengthDays: Int
    public var ctl: Double
    public var atl: Double
    public var tsb: Double
    public var acwr: Double?
    public var acwrFlag: String?
    public var monotony: Double?
    public var monotonyFlag: Bool
    public var enduranceHoursPerWeek12w: Double
    public var hpgAxisFlag: String
    public var ftoContext: String?
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
        case kind, athlete, basis, sessions, ctl, atl, tsb, acwr, monotony, notes
        case weekEnding = "week_ending", mvpaEquivalentMinutes = "mvpa_equivalent_minutes", whoTargets = "who_targets_minutes"
        case strengthDays = "strength_days", whoStrengthDays = "who_strength_days", acwrFlag = "acwr_flag"
        case monotonyFlag = "monotony_flag", enduranceHoursPerWeek12w = "endurance_hours_per_week_12w"
        case hpgAxisFlag = "hpg_axis_flag", ftoContext = "fto_context"
    }

    /// The record of a context; `basis` says why the week ends where it does.
    public init(_ w: WeeklyContext, basis: String) {
        weekEnding = String(ISO8601.format(Double(w.asOfDay) * 86_400).prefix(10))
        self.basis = basis
        sessions = w.sessions
        mvpaEquivalentMinutes = (w.mvpaEquivalentMinutes * 10).rounded() / 10
        whoTargets = [WeeklyContext.whoMinimum, WeeklyContext.whoFull]
        strengthDays = w.strengthDays
        whoStrengthDays = WeeklyContext.whoStrengthDays
        ctl = (w.ctl * 10).rounded() / 10
        atl = (w.atl * 10).rounded() / 10
        tsb = (w.tsb * 10).rounded() / 10
        acwr = w.acwr.map { ($0 * 100).rounded() / 100 }
        acwrFlag = w.acwr.map { WeeklyContext.acwrBand.contains($0) ? "within 0.8–1.5" : "outside 0.8–1.5 (soft flag)" }
        monotony = w.monotony.map { ($0 * 100).rounded() / 100 }
        monotonyFlag = (w.monotony ?? 0) > WeeklyContext.monotonyFlag
        enduranceHoursPerWeek12w = (w.enduranceHoursPerWeek * 10).rounded() / 10
        hpgAxisFlag = w.hpgFlag
        ftoContext = w.ftoContext
        notes = [
            "MVPA-equivalent minutes: moderate (40–59 % HRR) + 2 × vigorous (≥ 60 % HRR), WHO 2020.",
            "ACWR 7/28 is contested as an injury predictor: a soft flag only.",
            "HPG-axis / low-energy-availability caution: endurance hours over 12 weeks, amber ≥ \(Int(WeeklyContext.hpgAmberHours)) h/week, red ≥ \(Int(WeeklyContext.hpgRedHours)) h/week (H: no validated threshold exists; energy intake is not measured). Never a diagnosis.",
        ]
    }
}
