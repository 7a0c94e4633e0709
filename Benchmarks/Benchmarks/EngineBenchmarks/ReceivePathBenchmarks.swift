// The whole receive path of a live strap, as `DaemonShell.receive` runs it for every
// notification: raw-log append (encode into a reused buffer, pwrite), decode, the strap's
// pipeline (engine, session files' sample buffer, every sink), metrics timing and the
// status writer's once-a-second check. Three straps at once, in steady state inside a
// session; the threshold is 0 allocations.
import Benchmark
import Foundation
import HeartRateWire
import Ingest
import IngestDaemon
import Traces

let receivePathBenchmarks: @Sendable (DayTrace) -> Void = { day in
    Benchmark(
        "ReceivePathAllocations",
        configuration: .init(
            metrics: [.mallocCountTotal, .wallClock],
            timeUnits: .microseconds,
            maxIterations: 5,
            thresholds: [.mallocCountTotal: .init(relative: [.p90: 0], absolute: [.p90: 0])]
        )
    ) { benchmark in
        let state = NSTemporaryDirectory() + "wi-bench-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        var configuration = IngestConfiguration()
        configuration.stateDirectory = state
        configuration.metrics.textfileDirectory = state
        let shell = DaemonShell(configuration: configuration, configurationPath: nil, controlSocket: nil,
                                logger: EventLogger(silent: ()))
        guard shell.prepare(source: "benchmark") else { fatalError("cannot prepare a shell in \(state)") }
        defer { try? FileManager.default.removeItem(atPath: state) }
        var clock = 0.0
        shell.receiveClock = { clock }
        let channels = (1...3).map { shell.channel(for: DeviceAddress(0xC0, 0xFF, 0xEE, 0, 0, UInt8($0))) }
        // Inside the day's second session, after its first live label (~12 200 s) and before the
        // rest that ends it (~14 700 s): events (a label, a session's end) allocate by design, so
        // the window holds none. A classifier change that moves them shows here as mallocs.
        let warm = 12_300, measured = 12_300..<14_200
        let values = (0..<measured.upperBound).map { Array(day.notification($0)) }
        for i in 0..<warm {
            clock = day.times[i]
            for c in channels { shell.receive(values[i], on: c, fields: { [] }) }
        }
        shell.status.write(force: true)  // the next once-a-second write is not due inside the window
        benchmark.startMeasurement()
        for i in measured {
            clock = day.times[i]
            for c in channels { shell.receive(values[i], on: c, fields: { [] }) }
        }
        benchmark.stopMeasurement()
        for c in channels { c.pipeline.finish() }
        blackHole(channels.map(\.pipeline.samples))
    }
}
