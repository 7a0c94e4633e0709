import RealModule

/// One finished session as the weekly context needs it.
public struct TrainingDay: Sendable, Equatable, Codable {
    /// The session's ID (sessions are deduplicated by it).
    public var id: String
    /// Unix seconds of the session start (the day is its UTC date).
    public var start: Double
    /// Banister TRIMP.
    public var trimp: Double
    /// Minutes at 40–59 % HRR and at ≥ 60 % HRR.
    public var moderateMinutes: Double
    public var vigorousMinutes: Double
    /// Minutes of endurance character (endurance sessions or segments).
    public var enduranceMinutes: Double
    /// Whether the session held resistance work.
    public var strength: Bool
    /// Whose session it was (nil in weekly files written before athletes existed: the default person's).
    public var athlete: String?

    public init(id: String, start: Double, trimp: Double, moderateMinutes: Double, vigorousMinutes: Double,
                enduranceMinutes: Double, strength: Bool, athlete: String? = nil) {
        self.athlete = athlete
        self.id = id
        self.start = start
        self.trimp = trimp
        self.moderateMinutes = moderateMinutes
        self.vigorousMinutes = vigorousMinutes
        self.enduranceMinutes = enduranceMinutes
        self.strength = strength
    }

    /// Days since 1970-01-01 (UTC).
    public var day: Int { Int((start / 86_400).rounded(.down)) }
}

/// The FTO rs9939609 genotype, when the user gives it.
public enum FTOGenotype: String, Sendable, Equatable, Codable {
    case tt = "TT", at = "AT", aa = "AA"
    /// Risk (A) alleles.
    public var riskAlleles: Int { self == .aa ? 2 : self == .at ? 1 : 0 }
}

/// Weekly context (PHYSIOLOGY.md, Weekly context and Load): WHO activity, strength days, fitness
/// and fatigue, load flags, the HPG-axis caution and FTO population context. Pure: the caller
/// passes the sessions and the day to compute for.
public struct WeeklyContext: Sendable, Equatable {
    /// The day (days since 1970-01-01, UTC) the week ends on, inclusive.
    public var asOfDay: Int
    /// WHO 2020: moderate minutes + 2 × vigorous minutes over the 7 days, vs 150 / 300.
    public var mvpaEquivalentMinutes: Double
    /// Days with resistance work in the 7 days, vs 2.
    public var strengthDays: Int
    /// Sessions in the 7 days.
    public var sessions: Int
    /// CTL (42-day) and ATL (7-day) exponential averages of daily TRIMP, and TSB = CTL − ATL.
    public var ctl: Double
    public var atl: Double
    public var tsb: Double { ctl - atl }
    /// Acute:chronic workload ratio 7/28 (contested: a soft flag only), nil without 28-day load.
    public var acwr: Double?
    /// Foster monotony over 7 days (mean / SD of daily load), nil without load or variation.
    public var monotony: Double?
    /// Mean endurance hours per week over the last 12 weeks.
    public var enduranceHoursPerWeek: Double
    /// HPG-axis / low-energy-availability caution: green, amber or red (never a diagnosis).
    public var hpgFlag: String
    /// FTO population context, when the genotype is known.
    public var ftoContext: String?

    /// WHO targets (minutes/week) and strength days.
    public static let whoMinimum = 150.0, whoFull = 300.0, whoStrengthDays = 2
    /// ACWR soft band (H) and Foster's monotony flag.
    public static let acwrBand = 0.8...1.5
    public static let monotonyFlag = 2.0
    /// Endurance hours/week over 12 weeks for amber and red (H: no validated threshold exists).
    public static let hpgAmberHours = 7.0, hpgRedHours = 10.0
    /// Kilpeläinen 2011: per-allele obesity odds ratio in active vs inactive adults.
    public static let ftoOddsActive = 1.22, ftoOddsInactive = 1.30

    /// The context for the week ending on `asOfDay`.
    public init(sessions: [TrainingDay], asOfDay: Int, genotype: FTOGenotype? = nil) {
        self.asOfDay = asOfDay
        var byDay: [Int: (trimp: Double, strength: Bool, endurance: Double)] = [:]
        var seen: Set<String> = []
        var mvpa = 0.0, count = 0
        for s in sessions where s.day <= asOfDay && seen.insert(s.id).inserted {
            var d = byDay[s.day] ?? (0, false, 0)
            d.trimp += s.trimp
            d.strength = d.strength || s.strength
            d.endurance += s.enduranceMinutes
            byDay[s.day] = d
            if s.day > asOfDay - 7 {
                mvpa += s.moderateMinutes + 2 * s.vigorousMinutes
                count += 1
            }
        }
        mvpaEquivalentMinutes = mvpa
        self.sessions = count
        strengthDays = (asOfDay - 6...asOfDay).filter { byDay[$0]?.strength == true }.count
        let first = byDay.keys.min() ?? asOfDay
        var ctl = 0.0, atl = 0.0
        for day in first...asOfDay {
            let load = byDay[day]?.trimp ?? 0
            ctl += (load - ctl) / 42
            atl += (load - atl) / 7
        }
        self.ctl = ctl
        self.atl = atl
        let last7 = (asOfDay - 6...asOfDay).map { byDay[$0]?.trimp ?? 0 }
        let last28 = (asOfDay - 27...asOfDay).map { byDay[$0]?.trimp ?? 0 }
        let chronic = last28.reduce(0, +) / 28
        acwr = chronic > 0 && asOfDay - first >= 27 ? (last7.reduce(0, +) / 7) / chronic : nil
        let mean7 = last7.reduce(0, +) / 7
        let sd7 = (last7.map { ($0 - mean7) * ($0 - mean7) }.reduce(0, +) / 7).squareRoot()
        monotony = mean7 > 0 && sd7 > 0 ? mean7 / sd7 : nil
        let weeks = 12.0
        let endurance = (asOfDay - 83...asOfDay).map { byDay[$0]?.endurance ?? 0 }.reduce(0, +) / 60 / weeks
        enduranceHoursPerWeek = endurance
        hpgFlag = endurance >= Self.hpgRedHours ? "red" : endurance >= Self.hpgAmberHours ? "amber" : "green"
        if let genotype {
            let active = mvpa >= Self.whoMinimum
            let perAllele = active ? Self.ftoOddsActive : Self.ftoOddsInactive
            let odds = Double.pow(perAllele, Double(genotype.riskAlleles))
            ftoContext = genotype.riskAlleles == 0
                ? "rs9939609 TT: no FTO risk allele; in the population study activity lowered obesity odds for all genotypes."
                : "rs9939609 \(genotype.rawValue): in 218,166 adults (Kilpeläinen 2011) each A allele raised obesity odds by 22 % in active and 30 % in inactive people (27 % attenuation). This week counts as \(active ? "active" : "inactive") by WHO minutes (our mapping, H): population odds ≈ \(((odds * 100).rounded() / 100))× vs TT. Population context, not your individual risk."
        } else {
            ftoContext = nil
        }
    }
}
