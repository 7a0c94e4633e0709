import Foundation
import Ingest
import Physiology
import Testing
import TestSupport
import Traces

/// A FIT file names its strap: the heart-rate sensor's serial from `device_info` when the
/// recorder paired one, else the recorder's own serial from `file_id`; `--device` still wins.
@Suite struct TraceStepperTests {
    static func devices(_ fixture: String, device: DeviceAddress = .replay) throws -> [DeviceAddress] {
        let bytes = try FileBytes.read(TestPaths.fixture(fixture))
        let stepper = TraceStepper(FITTraceReader(InMemoryByteSource(bytes), name: fixture), device: device) { address in
            StrapPipeline(device: address, profile: AthleteProfile(), sinks: [])
        }
        while stepper.outcome == nil { stepper.step(limit: 10_000) }
        #expect(stepper.samples > 0)
        return stepper.pipelines.map(\.device)
    }

    @Test func aFITFileNamesItsHeartRateStrapOrItsRecorder() throws {
        // fenix 5 with an HRM-Run (device_info: ANT+ heart rate, serial 3944483460).
        #expect(try Self.devices("fitdecode-testfiles/garmin-fenix-5-run.fit") == [DeviceAddress(fitSerial: 3_944_483_460)])
        #expect(DeviceAddress(fitSerial: 3_944_483_460).description == "F2:17:EB:1C:0A:84")
        // An Edge 800 whose strap's device_info has only device_type 120 and a serial.
        #expect(try Self.devices("fitdecode-testfiles/sample-activity-indoor-trainer.fit") == [DeviceAddress(fitSerial: 24_703_893)])
        // A Forerunner 965 on the wrist: no strap, the watch's own serial (file_id).
        #expect(try Self.devices("fit-analyzer-jarkko/20474406937_ACTIVITY.fit") == [DeviceAddress(fitSerial: 3_486_647_825)])
        // The bike's power meter and speed sensor are not heart-rate straps.
        #expect(try Self.devices("fit-analyzer-jarkko/20744294788_ACTIVITY.fit") == [DeviceAddress(fitSerial: 3_486_647_825)])
        let given = DeviceAddress("A0:9E:1A:00:00:07")!
        #expect(try Self.devices("fitdecode-testfiles/garmin-fenix-5-run.fit", device: given) == [given], "--device wins")
    }

    @Test func metadataBeforeTheFirstSampleStillReachesThePipeline() throws {
        // A user profile read before the file named its device reaches the device's pipeline.
        let events: [TraceEvent] = [
            .metadata(.device(serial: 7, manufacturer: 1, product: 2, heartRateSensor: false)),
            .metadata(.userProfile(age: 61, sex: .female, restingHeartRate: nil, maximumHeartRate: nil)),
            .metadata(.device(serial: 9, manufacturer: nil, product: nil, heartRateSensor: true)),
            .metadata(.device(serial: 8, manufacturer: nil, product: nil, heartRateSensor: false)),
            .sample(TraceSample(time: 1_700_000_000, heartRate: 70)),
        ]
        var made: [StrapPipeline] = []
        let stepper = TraceStepper(ListReader(events), device: .replay) { address in
            let p = StrapPipeline(device: address, profile: AthleteProfile(), sinks: [])
            made.append(p)
            return p
        }
        while stepper.outcome == nil { stepper.step(limit: 100) }
        #expect(made.map(\.device) == [DeviceAddress(fitSerial: 9)], "the strap's serial, one pipeline")
        #expect(made.first?.engine.profile.age == 61)
    }
}

/// A trace of given events.
struct ListReader: TraceReader {
    var events: [TraceEvent]
    init(_ events: [TraceEvent]) { self.events = events }
    mutating func next() throws(TraceError) -> TraceEvent? { events.isEmpty ? nil : events.removeFirst() }
    var damage: [String] { [] }
}
