import HeartRateWire
import Ingest
import Physiology
import Testing
import Traces

/// The strap's Energy Expended counter becomes each session's kJ: unwrapped across resets,
/// measured over the session span only, absent when the strap sends none.
@Suite struct EnergyExpendedLogTests {
    @Test func aSpanCountsWhatTheCounterRoseByAcrossAReset() {
        var log = EnergyExpendedLog()
        for (t, kj) in [(0.0, 100 as UInt16), (10, 100), (20, 130), (30, 160), (40, 5), (50, 25), (60, 40)] {
            log.add(kj, at: t)
        }
        #expect(log.expended(from: 0, to: 60) == 100.0, "30 + 30, the reset's 5, then 20 + 15")
        #expect(log.expended(from: 25, to: 45) == 35.0, "from the total at 20 s (30 kJ counted) to that at 40 s (65)")
        #expect(log.expended(from: 61, to: 90) == nil, "no reading in the span")
        log.forget(before: 45)
        #expect(log.expended(from: 45, to: 60) == 35.0, "forgetting keeps what the next span measures from")
    }

    @Test func aSessionCarriesTheStrapsEnergyAndAStrapWithoutTheFieldNone() throws {
        for sendsEnergy in [true, false] {
            let sink = StrapPipelineTests.Collector()
            let pipeline = StrapPipeline(device: StrapPipelineTests.strap, profile: AthleteProfile(), sinks: [sink])
            let t0 = 1_800_000_000.0
            var counter: UInt16 = 65_400  // near the top: the strap resets it to 0 past 65 535
            var counted = 0.0
            var inSession = false
            for s in 0..<(40 * 60) {
                let hr: UInt16 = s < 300 ? 62 : s < 1500 ? ((s / 60) % 2 == 0 ? 150 : 170) : 66
                // About 1 kJ every 5 s at work, every 20 s at rest.
                let step: UInt16 = s % (hr > 100 ? 5 : 20) == 0 ? 1 : 0
                if step > 0 {
                    counter = counter == 65_535 ? 0 : counter + step
                    if inSession { counted += 1 }
                }
                inSession = s >= 300 && s < 1500
                let m = HeartRateMeasurement(heartRate: hr, energyExpended: sendsEnergy ? counter : nil, rrIntervals: RRIntervals([60_000 / Double(hr)]))
                pipeline.handle(notification: m.encoded(), characteristic: .heartRateMeasurement, time: t0 + Double(s))
            }
            pipeline.finish()
            let record = try #require(sink.ended.first)
            guard sendsEnergy else {
                #expect(record.energyExpendedKJ == nil)
                continue
            }
            let kj = try #require(record.energyExpendedKJ)
            // The session's span is the engine's (it starts and ends near the work); what the
            // strap counted during the work is inside it, a few rest kJ around it at most.
            #expect(kj >= counted - 1 && kj <= counted + Double(record.durationSeconds - 1200) / 20 + 2, "\(kj) kJ, \(counted) during the work")
            let line = JSONLines.line(record)
            #expect(line.contains("\"energy_expended_kj\":\(Int(kj))"), "in the session JSON")
        }
    }
}
