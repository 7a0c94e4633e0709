import Ingest
import Physiology

/// Human text for sessions, as `ingestctl analyze` (without `--json`) and `ingestctl session` print it.
public enum SessionText {
    /// A few aligned lines describing one session.
    public static func describe(_ r: SessionRecord) -> String {
        let minutes = Int((r.durationSeconds / 60).rounded())
        var lines = ["session \(r.id)"]
        lines.append("  time        \(r.start) → \(r.end) (\(minutes) min)")
        let lean = r.decisionBasis == ClassDecision.Basis.lean.rawValue ? ", a lean: under the threshold, but the session builds like exercise and this class clearly leads" : ""
        lines.append("  class       \(r.class.rawValue) (confidence \(format2(r.confidence))\(lean))")
        if r.segments.count > 1 {
            for s in r.segments { lines.append("    segment   \(s.start) → \(s.end) \(s.class.rawValue)") }
        }
        lines.append("  heart rate  mean \(Int(r.meanHr.rounded())), max \(Int(r.maxHr.rounded())) bpm (HRmax \(Int(r.reference.hrMax.rounded())), HRrest \(Int(r.reference.hrRest.rounded())))")
        lines.append("  load        TRIMP \(r.trimp.banister) (Banister), \(r.trimp.edwards) (Edwards), \(r.load.luciaTrimp) (Lucia); acute load peak \(r.load.acuteLoadPeak) (H)")
        let f = r.features
        lines.append("  structure   \(Int(f["bouts"] ?? 0)) bouts (\(format2(f["bouts_per_10min"] ?? 0))/10 min), amplitude \(format2(f["mean_bout_amplitude_hrr"] ?? 0)) HRR, swing \(format2(f["oscillation_hrr"] ?? 0)) HRR around the 2-min trend; \(Int((f["small_bouts"] ?? 0).rounded())) small bouts (\(format2(f["small_bouts_per_10min"] ?? 0))/10 min, peaks \(format2(f["mean_small_bout_peak_hrr"] ?? 0)) HRR)")
        if let kj = r.energyExpendedKJ {
            lines.append("  energy      \(Int(kj.rounded())) kJ (\(Int((kj / 4.184).rounded())) kcal), as the strap counted it")
        }
        if let drop = r.load.recovery60Bpm { lines.append("  recovery    HR fell \(drop) bpm in the 60 s after work") }
        if r.inputs.rrIntervals {
            var hrv = "\(r.rr.beatsAccepted) beats, \(r.rr.artifactPercent) % artifacts"
            if let repeated = r.rr.repeatedPercent, repeated > EngineConstants().hrvMaximumRepeatedPercent {
                hrv += ", \(repeated) % repeating the beat before (the source re-sends intervals: no HRV)"
            }
            if let v = r.hrv.rmssdMs { hrv += ", RMSSD \(v) ms" }
            if let v = r.hrv.sdnnMs { hrv += ", SDNN \(v) ms" }
            if let v = r.hrv.dfaAlpha1Mean { hrv += ", DFA α1 mean \(format2(v))" }
            if let v = r.hrv.dfaAlpha1ThresholdHr {
                hrv += "; α1 crossed 0.75 at \(Int(v.rounded())) bpm (≈ first ventilatory threshold, ±10–16 bpm)"
            }
            lines.append("  RR/HRV      \(hrv)")
        } else {
            lines.append("  RR/HRV      none (the recording has heart rate only)")
        }
        lines.append("  stimulus    (exposure, not a measurement of you)")
        for i in r.stimulus { lines.append("    \(i.index.padded(28)) \(i.sentence) [grade \(i.evidenceGrade)]") }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func padded(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
