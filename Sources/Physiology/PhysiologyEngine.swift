/// The streaming engine for one strap: HR and RR in, session events out.
///
/// It never reads a clock: time comes with every sample, so a replay at any speed gives the
/// same events as the live session did. O(1) work per sample and no allocation in steady state
/// (summaries are built only when a session ends).
public struct PhysiologyEngine: Sendable {
    /// The person's profile.
    public var profile: AthleteProfile
    /// Tunable constants (heuristics marked (H)).
    public let constants: EngineConstants

    private enum Phase: Sendable {
        case idle
        case candidate(start: Double, activeSeconds: Double, lastActive: Double)
        case active(start: Double, lastActive: Double)
    }

    private var phase = Phase.idle
    private var fast: ExponentialAverage
    private var minute: ExponentialAverage
    private var slow: ExponentialAverage
    /// The 2-min average of `slow`: with it, `2·slow − slowOfSlow` is a 2-min trend without the
    /// lag an average has on a ramp (a double exponential average), so a warm-up or a graded
    /// climb does not count as oscillation.
    private var slowOfSlow: ExponentialAverage
    private var lastTime: Double? = nil
    private var continuousSince: Double? = nil
    private var observedRest: Double? = nil
    private var observedMax = 0.0

    private var features = SessionFeatures()
    private var featuresAtLastActive = SessionFeatures()
    private var structure = StructureStats()
    private var structureAtLastActive = StructureStats()
    private var window: StructureStats
    private var segmenter = ClassSegmenter()
    private var minutes = MinuteLog()
    private var stimulus = StimulusDose()
    private var stimulusAtLastActive = StimulusDose()
    private var sessionAtLastActive = SessionHRV()
    private var bouts = BoutDetector()
    /// The small bouts' detector (`SmallBoutSeries`), and its latest counted peak's time.
    private var smallBouts = BoutDetector()
    private var lastSmallPeak: Double? = nil
    /// The session's counted bouts (the latest `boutsKept`), for its summary and chart.
    private var sessionBouts = FixedRing(capacity: PhysiologyEngine.boutsKept,
                                         filler: BoutDetector.Bout(start: 0, onset: 0, peakTime: 0, end: 0, trough: 0, peak: 0, restBefore: nil))
    /// Bouts a session summary lists at most (the latest ones): a display limit (H).
    public static let boutsKept = 256
    private var firstRise = true
    /// Peak time of the session's latest counted bout, for the peak-to-peak period.
    private var lastCountedPeak: Double? = nil
    private var gate = RRGate()
    private var artifacts = ArtifactWindow()
    private var hrv: HRVWindow
    private var session = SessionHRV()
    private var recovery = RecoveryTracker()
    private var lastRRTime: Double? = nil
    /// Samples rejected as implausible (HR outside the plausible range, non-finite values).
    public private(set) var rejectedSamples = 0
    private var sessionGateStart = (accepted: 0, rejected: 0)
    private var gateBeforeSample = (accepted: 0, rejected: 0)
    private var lastAcceptedRR: Double? = nil
    private var successiveSquares = 0.0
    private var successiveCount = 0
    /// Successive accepted beats equal to the previous one (`ArtifactWindow.repeats`).
    private var successiveRepeats = 0
    /// The beat counts and successive differences as they stood at the last active sample:
    /// the session's RR statistics end where it ends, not after the rest that confirmed it.
    private var beatsAtLastActive = (accepted: 0, rejected: 0, squares: 0.0, successive: 0, repeats: 0)
    private var sessionNumber = 0
    private var nextClassCheck = 0.0

    /// The latest fast-smoothed HR (bpm), nil before the first sample.
    public var currentHeartRate: Double? { fast.value }
    /// Beats accepted and rejected by the RR gate since the engine started.
    public var beatCounts: (accepted: Int, rejected: Int) { (gate.accepted, gate.rejected) }

    /// Unix seconds a sample may carry (years 0000 to 9999, as `TraceTime.plausible`): far
    /// outside it `Double` time stops resolving seconds, and the minute log would never reach
    /// its next boundary. A sample outside it is rejected like a non-finite one.
    public static let plausibleTime: ClosedRange<Double> = -62_167_219_200...253_402_300_799

    /// An engine for one strap.
    public init(profile: AthleteProfile = AthleteProfile(), constants: EngineConstants = EngineConstants()) {
        self.profile = profile
        self.constants = constants
        fast = ExponentialAverage(timeConstant: constants.fastTimeConstant)
        minute = ExponentialAverage(timeConstant: constants.minuteTimeConstant)
        slow = ExponentialAverage(timeConstant: constants.slowTimeConstant)
        slowOfSlow = ExponentialAverage(timeConstant: constants.slowTimeConstant)
        hrv = HRVWindow(seconds: constants.hrvWindowSeconds)
        window = StructureStats(memory: constants.segmentMemorySeconds)
        stimulus = StimulusDose()
        stimulusAtLastActive = stimulus
        minutes.begin(at: lastTime ?? 0, with: structure, dose: stimulus)
    }

    /// Whether the last window's beats can carry HRV (few rejects, few repeats).
    private var hrvIsClean: Bool {
        artifacts.isClean(maximumArtifactPercent: constants.alpha1MaximumArtifactPercent,
                          maximumRepeatedPercent: constants.hrvMaximumRepeatedPercent)
    }

    /// HRV over the last window now (for status); α1 is nil when gated by artifacts, and all
    /// of it when the source repeats its intervals.
    public mutating func hrvReading() -> HRVReading {
        let percent = artifacts.percent
        let alpha = hrvIsClean ? hrv.alpha1 : nil
        let beatToBeat = artifacts.isBeatToBeat(maximumRepeatedPercent: constants.hrvMaximumRepeatedPercent)
        return HRVReading(rmssd: beatToBeat ? hrv.rmssd : nil, sdnn: beatToBeat ? hrv.sdnn : nil, alpha1: alpha,
                          artifactPercent: percent, repeatedPercent: artifacts.repeatedPercent, beats: hrv.count)
    }

    /// The highest clean fast-smoothed (5-s) HR seen so far, nil before a minute of continuous data.
    public var observedMaximumHeartRate: Double? { observedMax > 0 ? observedMax : nil }
    /// The lowest clean one-minute mean HR seen so far, nil before a minute of continuous data.
    public var observedRestingHeartRate: Double? { observedRest }

    /// Takes what was learned of the person before (their earlier sessions, on any strap) as
    /// seen already, forgetting what this engine saw of anyone else: a strap that changes hands
    /// starts from its new wearer's values. Call between sessions.
    public mutating func startFrom(observedMaximum: Double?, observedResting: Double?) {
        observedMax = observedMaximum.map { min(max($0, 0), constants.plausibleHeartRate.upperBound) } ?? 0
        observedRest = observedResting.flatMap { constants.plausibleHeartRate.contains($0) ? $0 : nil }
    }

    /// HRmax and HRrest in force now.
    public var reference: HeartRateReference {
        let maximum = max(profile.maximumHeartRate ?? profile.predictedMaximumHeartRate, observedMax)
        let resting = profile.restingHeartRate
            ?? min(AthleteProfile.defaultRestingHeartRate, observedRest ?? AthleteProfile.defaultRestingHeartRate)
        return HeartRateReference(maximum: maximum, resting: resting,
                                  firstThreshold: profile.firstVentilatoryThreshold,
                                  secondThreshold: profile.secondVentilatoryThreshold)
    }

    /// Whether a session is confirmed and running.
    public var inSession: Bool {
        if case .active = phase { return true }
        return false
    }

    /// The class of the running session so far (stable provisional label).
    public var currentClass: SessionClass { segmenter.stable }

    /// The running session as a live display shows it (nil between sessions): O(1), no allocation.
    public var liveSession: LiveSession? {
        guard case .active(let start, let lastActive) = phase else { return nil }
        return LiveSession(start: start, seconds: max(0, (lastTime ?? lastActive) - start),
                           banisterTRIMP: features.banisterTRIMP, sessionClass: segmenter.stable,
                           confidence: segmenter.stable == .unclassified ? nil : lastAgreeingConfidence)
    }

    /// The confidence of the latest windowed check that agreed with the stable label.
    private var lastAgreeingConfidence: Double? = nil

    /// Folds in one sample: a heart rate (bpm, nil when the sample has none) and the RR
    /// intervals (ms) that came with it. Calls `emit` for each event, in order.
    public mutating func ingest(time: Double, heartRate: Double?, rrIntervals: some Collection<Double>,
                                emit: (EngineEvent) -> Void) {
        guard Self.plausibleTime.contains(time) else {
            rejectedSamples += 1
            return
        }
        if let last = lastTime, time < last - constants.endGapSeconds {
            // The clock stepped back further than the end-of-session gap (set by hand, a device
            // reset): what was open ends, as after a forward gap,
            // and the engine follows the new timeline.
            closeOrCancel(emit: emit)
            lastTime = nil
            lastRRTime = nil
            fast.reset()
            minute.reset()
            slow.reset()
            slowOfSlow.reset()
            hrv.reset()
            lastAcceptedRR = nil
        }
        // Small backward jitter is clamped so nothing in a session runs backwards.
        ingestInOrder(time: max(time, lastTime ?? time), heartRate: heartRate, rrIntervals: rrIntervals, emit: emit)
    }

    private mutating func ingestInOrder(time: Double, heartRate: Double?, rrIntervals: some Collection<Double>,
                                        emit: (EngineEvent) -> Void) {
        // A pause in the beat stream (strap lost) breaks "successive" beats.
        if let last = lastRRTime, time - last > constants.beatSeriesBreakSeconds || time < last - constants.beatSeriesBreakSeconds {
            hrv.reset()
            lastAcceptedRR = nil
        }
        var rrSum = 0.0
        var rrAccepted = 0
        gateBeforeSample = (gate.accepted, gate.rejected)
        for rr in rrIntervals {
            let accepted = gate.admit(rr)
            let repeated = accepted && ArtifactWindow.repeats(rr, previous: lastAcceptedRR)
            artifacts.record(rejected: !accepted, repeated: repeated, at: time)
            lastRRTime = time
            guard accepted else { continue }
            rrSum += rr
            rrAccepted += 1
            hrv.add(rr)
            session.add(rr)
            if let previous = lastAcceptedRR {
                let d = rr - previous
                successiveSquares += d * d
                successiveCount += 1
                if repeated { successiveRepeats += 1 }
            }
            lastAcceptedRR = rr
        }
        let hr: Double
        if let heartRate, heartRate.isFinite, constants.plausibleHeartRate.contains(heartRate) {
            hr = heartRate
            session.sawHeartRate = true
        } else if rrAccepted > 0 {
            if heartRate != nil { rejectedSamples += 1 }
            hr = 60_000 / (rrSum / Double(rrAccepted))
        } else {
            if heartRate != nil { rejectedSamples += 1 }
            return
        }

        var dt = 0.0
        if let last = lastTime {
            let gap = time - last
            if gap > constants.endGapSeconds {
                closeOrCancel(emit: emit)
                continuousSince = time
                fast.reset()
                minute.reset()
                slow.reset()
                slowOfSlow.reset()
                lastAcceptedRR = nil
            } else {
                dt = gap <= constants.maximumSampleIntervalSeconds ? max(gap, 0) : constants.gapStepSeconds
            }
        } else {
            continuousSince = time
        }
        lastTime = max(time, lastTime ?? time)

        fast.add(hr, dt: dt)
        let minuteBefore = minute.value
        minute.add(hr, dt: dt)
        slow.add(hr, dt: dt)
        slowOfSlow.add(slow.value!, dt: dt)
        let smooth = fast.value!
        if let since = continuousSince, time - since >= constants.minuteTimeConstant {
            observedRest = min(observedRest ?? .infinity, minute.value!)
            observedMax = max(observedMax, min(smooth, constants.plausibleHeartRate.upperBound))
        }

        let ref = reference
        let active = ref.reserveFraction(smooth) >= constants.activeReserveFraction
        advancePhase(time: time, dt: dt, active: active, emit: emit)

        switch phase {
        case .idle:
            return
        case .candidate, .active:
            features.add(hr: hr, fast: smooth, dt: dt, reference: ref,
                         banister: profile.banister, constants: constants)
            if rrAccepted > 0 { session.sawRR = true }
            let x = ref.reserveFraction(smooth)
            let trend = ref.reserveFraction(slow.value!)
            let level = ref.reserveFraction(2 * slow.value! - slowOfSlow.value!)
            let rising = minute.value! > (minuteBefore ?? .infinity)
            structure.add(x: x, trend: trend, level: level, y: smooth / ref.maximum, rising: rising, dt: dt,
                          highFraction: constants.highPeakFraction)
            window.add(x: x, trend: trend, level: level, y: smooth / ref.maximum, rising: rising, dt: dt,
                       highFraction: constants.highPeakFraction)
            stimulus.add(x: x, dt: dt, lactateThreshold: lactateThreshold(ref),
                         firstThreshold: ref.reserveFraction(ref.firstThreshold),
                         secondThreshold: ref.reserveFraction(ref.secondThreshold))
            defer { minutes.record(at: time, stats: structure, dose: stimulus, trend: trend) }
            if let bout = bouts.add(hr: smooth, at: time, reserve: ref.reserve,
                                    rise: constants.boutRiseFraction, fall: constants.boutFallFraction) {
                if firstRise && bout.workSeconds > constants.warmUpRampSeconds {
                    // the warm-up ramp is not a bout
                } else {
                    let period = lastCountedPeak.map { bout.peakTime - $0 }
                    lastCountedPeak = bout.peakTime
                    structure.add(bout, reference: ref, highPeakFraction: constants.highPeakFraction, period: period)
                    window.add(bout, reference: ref, highPeakFraction: constants.highPeakFraction, period: period)
                    stimulus.addSet(amplitude: bout.amplitude(over: ref.reserve), restBefore: bout.restBefore)
                    _ = sessionBouts.push(bout)
                    recovery.boutEnded(peak: bout.peak, at: bout.peakTime)
                }
                firstRise = false
            }
            if let small = smallBouts.add(hr: smooth, at: time, reserve: ref.reserve,
                                          rise: constants.smallBoutRiseFraction, fall: constants.smallBoutFallFraction),
               small.workSeconds <= constants.smallBoutMaximumWorkSeconds {
                let period = lastSmallPeak.map { small.peakTime - $0 }
                lastSmallPeak = small.peakTime
                let peak = ref.reserveFraction(small.peak)
                structure.addSmallBout(peak: peak, period: period)
                window.addSmallBout(peak: peak, period: period)
                stimulus.addSmallSet(amplitude: small.amplitude(over: ref.reserve), restBefore: small.restBefore)
            }
            recovery.observe(hr: smooth, at: time, active: active, features: &features)
            if time >= session.nextAlphaSample {
                session.nextAlphaSample = time + Self.alphaSampleSeconds
                if hrvIsClean, let a = hrv.alpha1 {
                    session.addAlpha(a, heartRate: hrv.meanRR.map { 60_000 / $0 })
                }
            }
            if active {
                featuresAtLastActive = features
                sessionAtLastActive = session
                beatsAtLastActive = (gate.accepted, gate.rejected, successiveSquares, successiveCount, successiveRepeats)
                structureAtLastActive = structure
                stimulusAtLastActive = stimulus
            }
        }
        if case .active(let start, _) = phase {
            refreshClass(time: time, start: start, emit: emit)
        }
    }

    /// Seconds between α1 samples for the session mean.
    public static let alphaSampleSeconds = 5.0

    /// Ends an open session at its last active sample (end of input, shutdown).
    public mutating func finish(emit: (EngineEvent) -> Void) {
        closeOrCancel(emit: emit)
    }

    // MARK: - Session detection

    private mutating func advancePhase(time: Double, dt: Double, active: Bool, emit: (EngineEvent) -> Void) {
        switch phase {
        case .idle:
            if active {
                beginAccumulating()
                phase = .candidate(start: time, activeSeconds: 0, lastActive: time)
            }
        case .candidate(let start, var activeSeconds, var lastActive):
            // A candidate with a work bout behind it may be resting between intervals.
            let pause = structure.bouts >= 1 ? constants.intervalPauseSeconds : constants.candidatePauseSeconds
            if active {
                activeSeconds += dt
                lastActive = time
            } else if time - lastActive >= pause {
                phase = .idle
                return
            }
            let intervals = structure.bouts >= constants.intervalConfirmBouts
                && activeSeconds >= constants.intervalConfirmActiveSeconds
            if activeSeconds >= constants.startActiveSeconds || intervals {
                confirm(start: start, lastActive: lastActive, at: time, emit: emit)
            } else {
                phase = .candidate(start: start, activeSeconds: activeSeconds, lastActive: lastActive)
            }
        case .active(let start, var lastActive):
            if active { lastActive = time }
            phase = .active(start: start, lastActive: lastActive)
            if time - lastActive >= constants.endRestSeconds {
                closeOrCancel(emit: emit)
            }
        }
    }

    /// The candidate that began at `start` is a session from now (`time`).
    private mutating func confirm(start: Double, lastActive: Double, at time: Double, emit: (EngineEvent) -> Void) {
        sessionNumber += 1
        phase = .active(start: start, lastActive: lastActive)
        segmenter = ClassSegmenter()
        lastAgreeingConfidence = nil
        nextClassCheck = start + Self.provisionalAfterSeconds
        emit(.sessionStarted(number: sessionNumber, start: start, confirmedAt: time))
    }

    private mutating func beginAccumulating() {
        features = SessionFeatures()
        featuresAtLastActive = features
        structure = StructureStats()
        structureAtLastActive = structure
        window = StructureStats(memory: constants.segmentMemorySeconds)
        stimulus = StimulusDose()
        stimulusAtLastActive = stimulus
        minutes.begin(at: lastTime ?? 0, with: structure, dose: stimulus)
        bouts = BoutDetector()
        smallBouts = BoutDetector()
        lastSmallPeak = nil
        sessionBouts.removeAll()
        firstRise = true
        lastCountedPeak = nil
        sessionGateStart = gateBeforeSample  // the sample that opens the candidate counts
        successiveSquares = 0
        successiveCount = 0
        successiveRepeats = 0
        beatsAtLastActive = (sessionGateStart.accepted, sessionGateStart.rejected, 0, 0, 0)
        session = SessionHRV()
        sessionAtLastActive = session
        recovery = RecoveryTracker()
    }

    private mutating func closeOrCancel(emit: (EngineEvent) -> Void) {
        defer { phase = .idle }
        // A candidate whose second work bout the data ended in (sprints, a recording stopped
        // at the last one) is confirmed by it, as it would have been by the bout's fall.
        if case .candidate(let start, let activeSeconds, let lastActive) = phase,
           unfinishedBout(before: lastActive) != nil,
           structure.bouts + 1 >= constants.intervalConfirmBouts,
           activeSeconds >= constants.intervalConfirmActiveSeconds {
            confirm(start: start, lastActive: lastActive, at: lastTime ?? lastActive, emit: emit)
        }
        guard case .active(let start, let lastActive) = phase else { return }
        countUnfinishedBout(before: lastActive)
        let ref = reference
        let pairs = beatsAtLastActive
        let repeatedPercent = pairs.successive > 0 ? 100 * Double(pairs.repeats) / Double(pairs.successive) : 0
        // A source that re-sends its intervals gives no beat-to-beat series to take HRV from.
        let beatToBeat = repeatedPercent <= constants.hrvMaximumRepeatedPercent
        let (decision, segments) = finalClass(start: start, end: lastActive)
        let reports = stimulusReports(decision: decision, segments: segments, end: lastActive)
        var assumptions: [String] = []
        if profile.age == nil && profile.maximumHeartRate == nil {
            assumptions.append("age unknown: HRmax from Tanaka 2001 at an assumed age of \(AthleteProfile.assumedAge) (H), raised to the highest clean HR seen")
        }
        if profile.sex == nil { assumptions.append("sex unknown: male Banister constants") }
        if profile.restingHeartRate == nil {
            assumptions.append("HRrest: lowest clean 1-min mean seen, at most \(Int(AthleteProfile.defaultRestingHeartRate)) bpm")
        }
        let f = featuresAtLastActive
        var summary = SessionSummary(
            number: sessionNumber, start: start, end: lastActive, decision: decision,
            segments: segments,
            meanHeartRate: f.meanHeartRate, maximumHeartRate: f.maximumHeartRate,
            banisterTRIMP: f.banisterTRIMP, edwardsTRIMP: f.edwardsTRIMP, reference: ref,
            assumptions: assumptions,
            beatsAccepted: beatsAtLastActive.accepted - sessionGateStart.accepted,
            beatsRejected: beatsAtLastActive.rejected - sessionGateStart.rejected,
            repeatedPercent: repeatedPercent,
            rmssd: beatsAtLastActive.successive > 0 && beatToBeat
                ? (beatsAtLastActive.squares / Double(beatsAtLastActive.successive)).squareRoot() : nil,
            sdnn: beatToBeat ? sessionAtLastActive.sdnn : nil, alpha1Mean: sessionAtLastActive.alphaMean, alpha1Minimum: sessionAtLastActive.alphaMinimum,
            alpha1ThresholdHeartRate: beatToBeat ? sessionAtLastActive.threshold.heartRate : nil,
            inputs: SessionInputs(heartRate: sessionAtLastActive.sawHeartRate || !sessionAtLastActive.sawRR,
                                  rrIntervals: sessionAtLastActive.sawRR),
            load: SessionLoad(f, recoveryAfterWork: recovery.recoveryAfterWork),
            stimulus: reports.session, segmentStimulus: reports.segments,
            observedMaximumHeartRate: observedMaximumHeartRate, observedRestingHeartRate: observedRestingHeartRate)
        summary.bouts = (0..<sessionBouts.count).map { sessionBouts[$0] }.filter { $0.peakTime <= lastActive }
        emit(.sessionEnded(summary))
    }

    // MARK: - Provisional class

    /// Active minutes before the first provisional class, and the refresh interval (PHYSIOLOGY.md).
    public static let provisionalAfterSeconds = 8 * 60.0
    public static let refreshSeconds = 60.0

    private mutating func refreshClass(time: Double, start: Double, emit: (EngineEvent) -> Void) {
        guard time >= nextClassCheck else { return }
        nextClassCheck = time + Self.refreshSeconds
        let decision = SessionClassifier.live(session: SessionClassifier.classify(structure, constants: constants, wholeSession: true),
                                              window: SessionClassifier.classify(window, constants: constants))
        defer { if decision.sessionClass == segmenter.stable { lastAgreeingConfidence = decision.confidence } }
        if let (from, to) = segmenter.observe(decision.sessionClass) {
            emit(.classChanged(number: sessionNumber, at: time, from: from, to: to, confidence: decision.confidence))
        }
    }

    /// The session's class and segments: when the windowed labels found one class (or none), the
    /// whole-session structure decides and one segment covers the session; when they found
    /// several (a run, then lifting), the segments stand and the longest class is the session's.
    /// A bout the data ended in — a recording stopped at the last sprint, its fall never seen —
    /// counts for the session's structure when it rose quickly: a slow climb to the end is a
    /// graded effort or the warm-up, not a bout (`warmUpRampSeconds`, H). The windows behind
    /// the segments are left as they were seen.
    private mutating func countUnfinishedBout(before lastActive: Double) {
        guard let bout = unfinishedBout(before: lastActive) else { return }
        structureAtLastActive.add(bout, reference: reference, highPeakFraction: constants.highPeakFraction,
                                  period: lastCountedPeak.map { bout.peakTime - $0 })
        _ = sessionBouts.push(bout)
    }

    /// The bout the data ended in, if it counts (`countUnfinishedBout`).
    private func unfinishedBout(before lastActive: Double) -> BoutDetector.Bout? {
        guard let bout = bouts.unfinished(at: lastActive), bout.peakTime <= lastActive,
              bout.workSeconds <= constants.warmUpRampSeconds else { return nil }
        return bout
    }

    private func finalClass(start: Double, end: Double) -> (ClassDecision, [SessionSegment]) {
        var (decision, segments) = decideClass(start: start, end: end)
        // The basis follows the class the session ended with (segments may have chosen it).
        if decision.sessionClass == .unclassified {
            decision.basis = .abstained
        } else if decision.confidence >= constants.minimumConfidence {
            decision.basis = .confident
        } else {
            decision.basis = .lean
        }
        return (decision, segments)
    }

    private func decideClass(start: Double, end: Double) -> (ClassDecision, [SessionSegment]) {
        let whole = SessionClassifier.classify(structureAtLastActive, constants: constants, wholeSession: true)
        let constants = self.constants
        let found = minutes.segments(end: end) { SessionClassifier.classify($0, constants: constants).sessionClass }
            .filter { $0.start < end }
        let classified = found.filter { $0.sessionClass != .unclassified }
        var classes: [SessionClass] = []
        for c in classified.map(\.sessionClass) where !classes.contains(c) { classes.append(c) }
        var time: [SessionClass: Double] = [:]
        for s in classified { time[s.sessionClass, default: 0] += s.end - s.start }
        let covered = time.values.reduce(0, +) / max(end - start, 1)
        // One class found, or several that together cover too little of the session to stand as
        // segments (a warm-up jog labelled before the intervals): the whole structure decides.
        if classes.count <= 1 || (covered < constants.minimumConfidence && whole.sessionClass != .unclassified) {
            var decision = whole
            if decision.sessionClass == .unclassified, classes.count == 1, let only = classes.first {
                // … unless the whole structure rejects that class (a strength session's windows
                // see too few sets to rule out intervals; the whole session does not).
                if covered >= Self.majorityShare, decision.scores.value(of: only) >= Self.wholeSupport * constants.minimumConfidence {
                    decision.sessionClass = only
                    decision.confidence = max(decision.scores.value(of: only), constants.minimumConfidence)
                }
            }
            return (decision, [SessionSegment(start: start, end: end, sessionClass: decision.sessionClass)])
        }
        let longest = time.max { $0.value < $1.value || ($0.value == $1.value && $0.key.rawValue > $1.key.rawValue) }!.key
        // A mixed session whose whole structure confidently names one of its segments' classes
        // is that class (intervals between a warm-up jog and a cool-down are a HIIT session);
        // otherwise it is the longest class, as certain as the share its classified segments cover.
        var decision = whole
        if whole.sessionClass == .unclassified || !classes.contains(whole.sessionClass) {
            decision.confidence = covered
            // The longest class stands only if the whole structure does not reject it (a
            // stop-and-go ride's windows can look like sets; the whole ride does not).
            let supported = whole.scores.value(of: longest) >= Self.wholeSupport * constants.minimumConfidence
            decision.sessionClass = covered >= constants.minimumConfidence && supported ? longest : .unclassified
            if !supported {
                // Then its windows' labels are not trusted either: one unclassified segment.
                decision.confidence = whole.scores.value(of: longest)
                return (decision, [SessionSegment(start: start, end: end, sessionClass: .unclassified)])
            }
        }
        // Unclassified stretches inside a mixed session (warm-up, transitions) join a neighbour.
        var segments: [SessionSegment] = []
        for s in found {
            if s.sessionClass == .unclassified, !segments.isEmpty {
                segments[segments.count - 1].end = s.end
            } else if s.sessionClass != .unclassified, let last = segments.last, last.sessionClass == .unclassified {
                segments[segments.count - 1] = SessionSegment(start: last.start, end: s.end, sessionClass: s.sessionClass)
            } else if let last = segments.last, last.sessionClass == s.sessionClass {
                segments[segments.count - 1].end = s.end
            } else {
                segments.append(s)
            }
        }
        segments[0].start = start
        segments[segments.count - 1].end = end
        return (decision, Self.cardioFollowsSession(segments, sessionClass: decision.sessionClass))
    }

    /// In an endurance session, windows labelled HIIT take the session's class and join their
    /// neighbours: a ride's hard climbs or a run's surges are stretches of the ride, as the
    /// person who did it would name it. Lifting stands apart as its own segment (a run, then
    /// lifting). A HIIT session keeps its endurance windows: its whole-session call may rest on
    /// two late bouts, and the windows are then the better witness (H).
    static func cardioFollowsSession(_ segments: [SessionSegment], sessionClass: SessionClass) -> [SessionSegment] {
        guard sessionClass == .endurance else { return segments }
        var merged: [SessionSegment] = []
        for var s in segments {
            if s.sessionClass == .hiit { s.sessionClass = sessionClass }
            if let last = merged.last, last.sessionClass == s.sessionClass {
                merged[merged.count - 1].end = s.end
            } else {
                merged.append(s)
            }
        }
        return merged
    }

    /// The lactate threshold as a fraction of HRR: VT1 when configured, else the default (H).
    private func lactateThreshold(_ ref: HeartRateReference) -> Double {
        profile.firstVentilatoryThreshold != nil ? ref.reserveFraction(ref.firstThreshold) : StimulusDose.defaultLactateThreshold
    }

    /// The stimulus indices of the session and of each segment.
    private func stimulusReports(decision: ClassDecision, segments: [SessionSegment], end: Double)
        -> (session: [StimulusIndex], segments: [[StimulusIndex]]) {
        let peak = structureAtLastActive.sustainedPeak
        let session = StimulusReport.indices(stimulusAtLastActive, sessionClass: decision.sessionClass,
                                             sustainedPeak: peak, sex: profile.sex)
        guard segments.count > 1 else { return (session, [session]) }
        let perSegment = segments.map { seg -> [StimulusIndex] in
            let (dose, segPeak) = minutes.dose(from: seg.start, to: seg.end, total: stimulusAtLastActive, totalPeak: peak)
            return StimulusReport.indices(dose, sessionClass: seg.sessionClass, sustainedPeak: segPeak, sex: profile.sex)
        }
        return (session, perSegment)
    }

    /// Share of a session the windowed class must cover to stand in for an unclassified whole (H).
    static let majorityShare = 0.6
    /// Share of the confidence threshold the whole session's own score for that class must reach (H).
    static let wholeSupport = 0.5
}
