import HeartRateWire
import Physiology
import Traces

/// Windowed HRV over a recording, for researchers: every `step` seconds of beat time, RMSSD,
/// SDNN and DFA α1 of the last `window` seconds of accepted beats (`ingestctl hrv`).
public enum HRVReport {
    /// One window.
    public struct Row: Codable, Sendable, Equatable {
        public var kind = "hrv"
        /// Trace time (Unix s) of the sample that closed the window.
        public var time: Double
        /// Absolute index of the window's last accepted beat (0-based).
        public var beat: Int
        public var beats: Int
        public var rmssdMs: Double?
        public var sdnnMs: Double?
        /// Streaming α1 (boxes aligned to the beat index), nil when gated by artifacts.
        public var dfaAlpha1: Double?
        /// neurokit2-compatible α1 (overlapping boxes from the window start), when asked for.
        public var dfaAlpha1Overlapping: Double?
        public var artifactPercent: Double
        /// Beats repeating the previous interval exactly, percent of the window: above
        /// `EngineConstants.hrvMaximumRepeatedPercent` the source re-sends intervals and RMSSD,
        /// SDNN and α1 are nil.
        public var repeatedPercent: Double = 0

        enum CodingKeys: String, CodingKey {
            case kind, time, beat, beats
            case rmssdMs = "rmssd_ms", sdnnMs = "sdnn_ms", dfaAlpha1 = "dfa_alpha1"
            case dfaAlpha1Overlapping = "dfa_alpha1_overlapping", artifactPercent = "artifact_percent"
            case repeatedPercent = "repeated_percent"
        }

        /// The row as `JSONLines.line` writes it (keys sorted, absent values omitted, numbers
        /// alike), without JSONEncoder: 16 000 windows of a day are written per run, and the
        /// encoder was half of `ingestctl hrv --json`'s time. Tested equal to the encoder's.
        public var jsonLine: String {
            var out = "{\"artifact_percent\":" + JSONLines.number(artifactPercent)
            out += ",\"beat\":" + String(beat) + ",\"beats\":" + String(beats)
            if let dfaAlpha1 { out += ",\"dfa_alpha1\":" + JSONLines.number(dfaAlpha1) }
            if let dfaAlpha1Overlapping { out += ",\"dfa_alpha1_overlapping\":" + JSONLines.number(dfaAlpha1Overlapping) }
            out += ",\"kind\":\"" + kind + "\""
            out += ",\"repeated_percent\":" + JSONLines.number(repeatedPercent)
            if let rmssdMs { out += ",\"rmssd_ms\":" + JSONLines.number(rmssdMs) }
            if let sdnnMs { out += ",\"sdnn_ms\":" + JSONLines.number(sdnnMs) }
            return out + ",\"time\":" + JSONLines.number(time) + "}"
        }
    }

    /// Reads `reader` and calls `emit` per window; returns the trace error that stopped it, if any.
    ///
    /// - Parameter gate: apply the engine's live RR artifact gate (off: every beat in range
    ///   250–2000 ms is used as given, for comparisons on pre-cleaned series).
    public static func run(_ reader: inout some TraceReader, window: Double = 120, step: Double = 5,
                           gate useGate: Bool = true, overlapping: Bool = false,
                           alpha1MaximumArtifactPercent: Double = EngineConstants().alpha1MaximumArtifactPercent,
                           maximumRepeatedPercent: Double = EngineConstants().hrvMaximumRepeatedPercent,
                           correctionBlock: Int? = nil,
                           emit: (Row) -> Void) -> TraceError? {
        var gate = RRGate()
        var artifacts = ArtifactWindow(seconds: window)
        var hrv = HRVWindow(seconds: window)
        var clock = 0.0
        var next = window
        var beat = -1
        let gateOn = useGate && correctionBlock == nil
        var previous: Double? = nil
        func feed(_ rr: Double, at time: Double) {
            let accepted = gateOn ? gate.admit(rr) : RRGate.acceptedRange.contains(rr)
            artifacts.record(rejected: !accepted, repeated: accepted && ArtifactWindow.repeats(rr, previous: previous), at: time)
            guard accepted else { return }
            previous = rr
            beat += 1
            hrv.add(rr)
            clock += rr / 1000
            guard clock >= next else { return }
            next = clock + step
            // A source that re-sends intervals gives no beat-to-beat series: no HRV at all.
            let beatToBeat = artifacts.isBeatToBeat(maximumRepeatedPercent: maximumRepeatedPercent)
            let gated = !artifacts.isClean(maximumArtifactPercent: alpha1MaximumArtifactPercent,
                                           maximumRepeatedPercent: maximumRepeatedPercent)
            emit(Row(time: time, beat: beat, beats: hrv.count, rmssdMs: beatToBeat ? hrv.rmssd : nil,
                     sdnnMs: beatToBeat ? hrv.sdnn : nil,
                     dfaAlpha1: gated ? nil : hrv.alpha1,
                     dfaAlpha1Overlapping: overlapping && !gated ? hrv.alpha1Overlapping() : nil,
                     artifactPercent: artifacts.percent, repeatedPercent: artifacts.repeatedPercent))
        }
        // With a correction block, beats are collected in fixed blocks, corrected with
        // Lipponen–Tarvainen (Kubios), and fed as corrected beats (the live gate is then off).
        var block: [Double] = []
        var blockTimes: [Double] = []
        func take(_ rr: Double, at time: Double) {
            guard let size = correctionBlock else { return feed(rr, at: time) }
            guard RRGate.acceptedRange.contains(rr) else { return artifacts.record(rejected: true, at: time) }
            block.append(rr)
            blockTimes.append(time)
            if block.count >= size { flushBlock() }
        }
        func flushBlock() {
            guard !block.isEmpty else { return }
            let corrected = KubiosArtifactCorrection.correct(rrIntervals: block).rrIntervals
            let last = blockTimes.last!
            for (k, rr) in corrected.enumerated() {
                feed(rr, at: k < blockTimes.count ? blockTimes[k] : last)
            }
            block.removeAll(keepingCapacity: true)
            blockTimes.removeAll(keepingCapacity: true)
        }
        while true {
            let event: TraceEvent?
            do { event = try reader.next() } catch {
                flushBlock()
                return error
            }
            guard let event else {
                flushBlock()
                return nil
            }
            switch event {
            case .sample(let s):
                for rr in s.rrIntervals { take(rr, at: s.time) }
            case .notification(let n):
                guard n.characteristic == ATTUUID(.heartRateMeasurement),
                      let m = try? HeartRateMeasurement(decoding: n.value) else { continue }
                for rr in m.rrIntervals { take(rr, at: n.time) }
            case .metadata:
                continue
            }
        }
    }
}
