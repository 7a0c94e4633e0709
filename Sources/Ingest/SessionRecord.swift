import Physiology
import Traces

/// The JSON form of a finished session: one line of `ingestctl analyze --json`, the summary
/// file `sessions/ID.json`, and what `ingestctl session ID` shows.
public struct SessionRecord: Codable, Sendable, Equatable {
    /// Always `"session"`.
    public var kind = "session"
    /// Stable ID: start time and strap, e.g. `20210606T161059Z-A09E1A000001`; a live session and
    /// any replay of its raw log have the same one (`000000000000`: a recording naming no strap).
    public var id: String
    /// The strap's address (`00:00:00:00:00:00` for a replayed trace without one).
    public var device: String
    /// Who wore the strap (an `[[athlete]]` ID; `default` for straps nobody claims); absent in
    /// `ingestctl analyze` output and in summaries written before athletes existed.
    public var athlete: String?
    /// ISO 8601 UTC start (activity began) and end (last active sample).
    public var start: String
    public var end: String
    /// Unix seconds of start and end, for machines.
    public var startUnix: Double
    public var endUnix: Double
    /// Seconds from start to end.
    public var durationSeconds: Double
    /// `resistance | endurance | hiit | unclassified`.
    public var `class`: SessionClass
    /// Confidence in [0, 1] of the best class.
    public var confidence: Double
    /// Scores per class before the confidence threshold.
    public var scores: [String: Double]
    /// The features that decided the class.
    public var features: [String: Double]
    /// Class → the factors its score is the product of (`ClassFactors`), so the label explains
    /// itself; absent in records written before they existed.
    public var scoreFactors: [String: [String: Double]]?
    /// How the class stands: `confident` (its score reached the confidence threshold), `lean`
    /// (below it, but the session builds like exercise and the class clearly leads) or
    /// `abstained` (unclassified); absent in records written before it existed.
    public var decisionBasis: String?
    /// Stretches with one class each.
    public var segments: [Segment]
    /// Mean and maximum HR in bpm.
    public var meanHr: Double
    public var maxHr: Double
    /// Training load.
    public var trimp: TRIMP
    /// HRmax and HRrest used.
    public var reference: Reference
    /// What the engine had observed of the person when the session ended (highest clean 5-s HR,
    /// lowest clean 1-min mean): what the daemon learns per athlete. Absent in older summaries.
    public var observed: Observed?
    /// RR statistics.
    public var rr: RR
    /// The labels the session had while it ran, in order (absent in older summaries): how the
    /// live label compared with the final class, and when the first came.
    public var provisionalLabels: [ProvisionalLabel]?
    /// The work bouts the classifier counted (rise from a trough to a peak and the confirmed
    /// fall; the latest 256), absent in older summaries.
    public var bouts: [Bout]?
    /// One bout: Unix times of its trough, peak and confirmed fall, and its trough and peak bpm.
    public struct Bout: Codable, Sendable, Equatable {
        public var start: Double
        public var peakTime: Double
        public var end: Double
        public var troughBpm: Double
        public var peakBpm: Double
        enum CodingKeys: String, CodingKey {
            case start, end
            case peakTime = "peak_time", troughBpm = "trough_bpm", peakBpm = "peak_bpm"
        }
        public init(start: Double, peakTime: Double, end: Double, troughBpm: Double, peakBpm: Double) {
            self.start = start
            self.peakTime = peakTime
            self.end = end
            self.troughBpm = troughBpm
            self.peakBpm = peakBpm
        }
    }
    /// Energy the strap itself counted over the session (its Energy Expended field, kJ; absent
    /// when the strap sends none). The strap's own estimate, not one of this engine.
    public var energyExpendedKJ: Double?
    /// HRV over the session (absent fields: no RR, or α1 gated by artifacts).
    public var hrv: HRV
    /// Load and recovery.
    public var load: Load
    /// Which inputs the session had: metrics that need RR are absent without it.
    public var inputs: Inputs
    /// Stimulus indices: exposure scores with sources, grades, uncertainty and caveats.
    public var stimulus: [StimulusRecord]
    /// What the stimulus indices are and are not.
    public var stimulusNote: String
    /// What was assumed (defaults), in words.
    public var assumptions: [String]
    /// A note that thresholds marked (H) are heuristics of this product.
    public var heuristics: String

    /// One segment.
    public struct Segment: Codable, Sendable, Equatable {
        public var start: String
        public var end: String
        public var `class`: SessionClass
        /// The segment's own stimulus indices.
        public var stimulus: [StimulusRecord]?
    }

    /// A label the session had while it ran (a `classChanged`): what a live display showed.
    public struct ProvisionalLabel: Codable, Sendable, Equatable {
        /// When it was given (ISO 8601 UTC) and how long after the session's start (s).
        public var at: String
        public var afterSeconds: Double
        public var `class`: SessionClass
        public var confidence: Double

        public init(at: String, afterSeconds: Double, class c: SessionClass, confidence: Double) {
            self.at = at
            self.afterSeconds = afterSeconds
            self.class = c
            self.confidence = confidence
        }

        enum CodingKeys: String, CodingKey {
            case at, confidence
            case afterSeconds = "after_seconds"
            case `class` = "class"
        }
    }

    /// Banister (1991) and Edwards (1993) TRIMP.
    public struct TRIMP: Codable, Sendable, Equatable {
        public var banister: Double
        public var edwards: Double
    }

    /// The heart-rate reference in force at the end.
    public struct Reference: Codable, Sendable, Equatable {
        public var hrMax: Double
        public var hrRest: Double
        enum CodingKeys: String, CodingKey { case hrMax = "hr_max", hrRest = "hr_rest" }
    }

    /// Observed HR extremes (bpm), nil before a minute of continuous data.
    public struct Observed: Codable, Sendable, Equatable {
        public var hrMax: Double?
        public var hrRest: Double?
        enum CodingKeys: String, CodingKey { case hrMax = "hr_max", hrRest = "hr_rest" }
        public init(hrMax: Double?, hrRest: Double?) {
            self.hrMax = hrMax
            self.hrRest = hrRest
        }
    }

    /// RR beats accepted/rejected by the artifact gate and RMSSD over the session.
    public struct RR: Codable, Sendable, Equatable {
        public var beatsAccepted: Int
        public var beatsRejected: Int
        public var artifactPercent: Double
        /// Percent of successive accepted beats that repeat the one before exactly: above
        /// `EngineConstants.hrvMaximumRepeatedPercent` the source re-sends its intervals (not
        /// beat to beat) and RMSSD, SDNN are withheld. Absent in older summaries.
        public var repeatedPercent: Double?
        public var rmssdMs: Double?
        enum CodingKeys: String, CodingKey {
            case beatsAccepted = "beats_accepted", beatsRejected = "beats_rejected"
            case artifactPercent = "artifact_percent", repeatedPercent = "repeated_percent", rmssdMs = "rmssd_ms"
        }
    }

    /// Session HRV.
    public struct HRV: Codable, Sendable, Equatable {
        public var rmssdMs: Double?
        public var sdnnMs: Double?
        public var dfaAlpha1Mean: Double?
        public var dfaAlpha1Min: Double?
        /// HR (bpm) where the session's α1 crossed 0.75 (≈ first ventilatory threshold, Rogers
        /// 2021; ±10–16 bpm for an individual, Eronen 2024); absent without a clear crossing
        /// and in older summaries.
        public var dfaAlpha1ThresholdHr: Double?
        enum CodingKeys: String, CodingKey {
            case rmssdMs = "rmssd_ms", sdnnMs = "sdnn_ms", dfaAlpha1Mean = "dfa_alpha1_mean", dfaAlpha1Min = "dfa_alpha1_min"
            case dfaAlpha1ThresholdHr = "dfa_alpha1_threshold_hr"
        }
    }

    /// Load and recovery (PHYSIOLOGY.md, Load).
    public struct Load: Codable, Sendable, Equatable {
        public var luciaTrimp: Double
        public var acuteLoadPeak: Double
        public var hrrZoneMinutes: [String: Double]
        public var hrmaxZoneMinutes: [String: Double]
        public var boutDrop30Bpm: Double?
        public var boutDrop60Bpm: Double?
        public var recovery60Bpm: Double?
        enum CodingKeys: String, CodingKey {
            case luciaTrimp = "lucia_trimp", acuteLoadPeak = "acute_load_peak", hrrZoneMinutes = "hrr_zone_minutes"
            case hrmaxZoneMinutes = "hrmax_zone_minutes", boutDrop30Bpm = "bout_drop_30s_bpm"
            case boutDrop60Bpm = "bout_drop_60s_bpm", recovery60Bpm = "recovery_60s_bpm"
        }
    }

    /// Inputs present.
    public struct Inputs: Codable, Sendable, Equatable {
        public var heartRate: Bool
        public var rrIntervals: Bool
        enum CodingKeys: String, CodingKey { case heartRate = "heart_rate", rrIntervals = "rr_intervals" }
    }

    enum CodingKeys: String, CodingKey {
        case kind, id, device, athlete, observed, start, end, confidence, scores, features, segments, trimp, reference, rr,
             assumptions, heuristics, hrv, load, inputs, stimulus
        case stimulusNote = "stimulus_note", scoreFactors = "score_factors", decisionBasis = "decision_basis"
        case startUnix = "start_unix", endUnix = "end_unix", durationSeconds = "duration_seconds"
        case `class` = "class", meanHr = "mean_hr", maxHr = "max_hr", energyExpendedKJ = "energy_expended_kj",
             provisionalLabels = "provisional_labels", bouts
    }

    /// The record of `summary` for the strap `device`, worn by `athlete` when known.
    public init(_ s: SessionSummary, device: DeviceAddress, athlete: String? = nil) {
        id = Self.identifier(start: s.start, device: device)
        bouts = s.bouts.map { Bout(start: $0.start, peakTime: $0.peakTime, end: $0.end,
                                   troughBpm: ($0.trough * 10).rounded() / 10, peakBpm: ($0.peak * 10).rounded() / 10) }
        self.device = device.description
        self.athlete = athlete
        observed = athlete == nil ? nil
            : Observed(hrMax: s.observedMaximumHeartRate.map(round1), hrRest: s.observedRestingHeartRate.map(round1))
        start = ISO8601.format(s.start)
        end = ISO8601.format(s.end)
        startUnix = s.start
        endUnix = s.end
        durationSeconds = round1(s.duration)
        `class` = s.decision.sessionClass
        confidence = round3(s.decision.confidence)
        decisionBasis = s.decision.basis.rawValue
        scores = Dictionary(uniqueKeysWithValues: s.decision.scores.named.map { ($0.0, round3($0.1)) })
        features = Dictionary(uniqueKeysWithValues: s.decision.features.named.map { ($0.0, round3($0.1)) })
        scoreFactors = Dictionary(uniqueKeysWithValues: SessionClassifier.factors(s.decision.features, wholeSession: true).named.map { cls, factors in
            (cls, Dictionary(uniqueKeysWithValues: factors.map { ($0.0, round3($0.1)) }))
        })
        segments = s.segments.enumerated().map { i, g in
            Segment(start: ISO8601.format(g.start), end: ISO8601.format(g.end), class: g.sessionClass,
                    stimulus: s.segments.count > 1 && i < s.segmentStimulus.count ? s.segmentStimulus[i].map(StimulusRecord.init) : nil)
        }
        stimulus = s.stimulus.map(StimulusRecord.init)
        stimulusNote = "Exposure scores: how closely this session resembles protocols with published responses. Not a measurement or prediction of your hormones or genes."
        meanHr = round1(s.meanHeartRate)
        maxHr = round1(s.maximumHeartRate)
        trimp = TRIMP(banister: round1(s.banisterTRIMP), edwards: round1(s.edwardsTRIMP))
        reference = Reference(hrMax: round1(s.reference.maximum), hrRest: round1(s.reference.resting))
        let beats = s.beatsAccepted + s.beatsRejected
        rr = RR(beatsAccepted: s.beatsAccepted, beatsRejected: s.beatsRejected,
                artifactPercent: beats > 0 ? round1(100 * Double(s.beatsRejected) / Double(beats)) : 0,
                repeatedPercent: round1(s.repeatedPercent),
                rmssdMs: s.rmssd.map(round1))
        hrv = HRV(rmssdMs: s.rmssd.map(round1), sdnnMs: s.sdnn.map(round1),
                  dfaAlpha1Mean: s.alpha1Mean.map(round3), dfaAlpha1Min: s.alpha1Minimum.map(round3),
                  dfaAlpha1ThresholdHr: s.alpha1ThresholdHeartRate.map(round1))
        let l = s.load
        let z = l.edwardsZoneSeconds
        load = Load(
            luciaTrimp: round1(l.luciaTRIMP), acuteLoadPeak: round1(l.acuteLoadPeak),
            hrrZoneMinutes: ["below_40": round1(l.reserveZoneSeconds.light / 60),
                             "40_60": round1(l.reserveZoneSeconds.moderate / 60),
                             "60_plus": round1(l.reserveZoneSeconds.vigorous / 60)],
            hrmaxZoneMinutes: ["50_60": round1(z.0 / 60), "60_70": round1(z.1 / 60), "70_80": round1(z.2 / 60),
                               "80_90": round1(z.3 / 60), "90_100": round1(z.4 / 60)],
            boutDrop30Bpm: l.boutDrop30.map(round1), boutDrop60Bpm: l.boutDrop60.map(round1),
            recovery60Bpm: l.recoveryAfterWork.map(round1))
        inputs = Inputs(heartRate: s.inputs.heartRate, rrIntervals: s.inputs.rrIntervals)
        assumptions = s.assumptions
        heuristics = "Session detection and classifier thresholds are heuristics of this product (H), not published values; see PHYSIOLOGY.md."
    }

    /// `YYYYMMDDThhmmssZ-<address without colons, or "replay">`.
    /// Whether `text` has the shape of a session ID (`YYYYMMDDThhmmssZ-` then `replay` or 12 hex
    /// digits): what a client may ask for, so nothing else (a NUL, a `/`, a suffix) can reach a
    /// file name.
    public static func isIdentifier(_ text: some StringProtocol) -> Bool {
        let b = Array(text.utf8)
        guard b.count > 17, b[8] == UInt8(ascii: "T"), b[15] == UInt8(ascii: "Z"), b[16] == UInt8(ascii: "-") else { return false }
        let digits = b[0..<8] + b[9..<15]
        guard digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return false }
        let strap = b[17...]
        if strap.elementsEqual("replay".utf8) { return true }
        return strap.count == 12 && strap.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 70) }
    }

    public static func identifier(start: Double, device: DeviceAddress) -> String {
        let iso = ISO8601.format(start.rounded(.down))  // 2021-06-06T16:10:59Z
        let compact = iso.filter { $0 != "-" && $0 != ":" }
        return "\(compact)-\(device.description.filter { $0 != ":" })"
    }
}

func round1(_ v: Double) -> Double { (v * 10).rounded() / 10 }
func round3(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }
