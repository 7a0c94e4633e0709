// Engine benchmarks (ordo-one/benchmark). From the repository root:
//   swift package --package-path Benchmarks benchmark                    # run and print
//   swift package --package-path Benchmarks benchmark thresholds check   # fail on any allocation
// Work: 24 h of RR from the real Polar H10 log in shared/data/real/fatmaxxer, rescaled to a
// mean RR of 800 ms and tiled (108 564 beats), as BENCHMARKS.md describes.
import Benchmark
import HeartRateWire
import Physiology
import Traces

let benchmarks: @Sendable () -> Void = {
    let day = DayTrace.load()
    receivePathBenchmarks(day)

    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 1,
        maxDuration: .seconds(20),
        maxIterations: 10
    )

    // (a) Decode every 0x2A37 notification of a day and run the full engine over it.
    Benchmark("DecodeAndEngine24h", configuration: .init(timeUnits: .milliseconds)) { benchmark in
        var engine = PhysiologyEngine(profile: AthleteProfile(age: 35))
        var sessions = 0
        benchmark.startMeasurement()
        for i in 0..<day.notificationCount {
            let m = try! HeartRateMeasurement(decoding: day.notification(i))
            engine.ingest(time: day.times[i], heartRate: Double(m.heartRate), rrIntervals: m.rrIntervals) { event in
                if case .sessionEnded = event { sessions += 1 }
            }
        }
        engine.finish { _ in sessions += 1 }
        benchmark.stopMeasurement()
        blackHole(sessions)
    }

    // (b) Steady state: inside a running session (after its class settled, before it ends:
    // samples 11 000–14 000 of the day hold no engine event), every sample — decode, RR gate,
    // HRV windows, DFA, load, bouts, classifier refresh — allocates nothing. Events (session
    // start/end) may allocate; they are rare and not per sample.
    Benchmark(
        "SteadyStateAllocations",
        configuration: .init(
            metrics: [.mallocCountTotal],
            timeUnits: .microseconds,
            thresholds: [.mallocCountTotal: .init(relative: [.p90: 0], absolute: [.p90: 0])]
        )
    ) { benchmark in
        var engine = PhysiologyEngine(profile: AthleteProfile(age: 35))
        for i in 0..<11_000 {
            let m = try! HeartRateMeasurement(decoding: day.notification(i))
            engine.ingest(time: day.times[i], heartRate: Double(m.heartRate), rrIntervals: m.rrIntervals) { _ in }
        }
        benchmark.startMeasurement()
        for i in 11_000..<14_000 {
            let m = try! HeartRateMeasurement(decoding: day.notification(i))
            engine.ingest(time: day.times[i], heartRate: Double(m.heartRate), rrIntervals: m.rrIntervals) { blackHole($0) }
        }
        benchmark.stopMeasurement()
        blackHole(engine.currentHeartRate)
    }

    // (c) The side-by-side work: RMSSD, SDNN and DFA α1 of the 2-min window every 5 s of a day.
    Benchmark("HRVWindowsEvery5s24h", configuration: .init(timeUnits: .milliseconds)) { benchmark in
        var window = HRVWindow()
        var next = 120.0, clock = 0.0, windows = 0, checksum = 0.0
        benchmark.startMeasurement()
        for rr in day.beats {
            window.add(rr)
            clock += rr / 1000
            if clock >= next {
                next = clock + 5
                checksum += (window.rmssd ?? 0) + (window.sdnn ?? 0) + (window.alpha1 ?? 0)
                windows += 1
            }
        }
        benchmark.stopMeasurement()
        blackHole(checksum)
        blackHole(windows)
    }

    wireBenchmarks(day)
}
