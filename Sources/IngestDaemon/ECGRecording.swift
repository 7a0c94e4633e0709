import HeartRateWire
import Ingest
import Traces

/// One strap's Polar ECG as both live backends keep it (only with `[bluetooth] polar_ecg`): the
/// state the status shows, the samples recorded, and the journal lines for each outcome.
final class ECGRecording {
    /// `starting`, `recording`, `not offered by this strap` or `not recorded: why`.
    private(set) var state = "starting"
    /// ECG samples written to the raw log since the daemon started.
    private(set) var samples = 0
    private var problemReported = false

    /// A new connection: start again, reporting the first undecodable frame again.
    func connected() {
        if state != "recording" { state = "starting" }
        problemReported = false
    }

    /// A step of starting ECG: the status, and the journal for each outcome.
    func update(_ start: PolarECGStart, logger: EventLogger, address: DeviceAddress, fields: [(name: String, value: String)]) {
        switch start {
        case .requested:
            // Still `starting` (set at connection) unless the control point's answer came
            // first, as it may through BlueZ: then that answer stands.
            break
        case .started:
            state = "recording"
            logger.log("strap \(address): Polar ECG started (130 Hz), frames go to the raw log", kind: .strapState,
                       fields: fields + [("ECG_STATE", "recording")])
        case .notOffered:
            state = "not offered by this strap"
            logger.log("strap \(address): no Polar Measurement Data service, so no ECG; heart rate goes on", kind: .strapState,
                       fields: fields + [("ECG_STATE", "not-offered")])
        case .unavailable(let why):
            state = "not recorded: " + why
            logger.log("strap \(address): Polar ECG not started: \(why); heart rate goes on", kind: .strapState,
                       priority: .warning, fields: fields + [("ECG_STATE", "unavailable"), ("ECG_REASON", why)])
        }
    }

    /// One PMD data frame: into the raw log (whatever it holds; never to the engine, which works
    /// from the standard heart-rate service), counted when it decodes; the first that does not
    /// is reported once per connection.
    func record(_ value: [UInt8], shell: DaemonShell, rawLog: DailyRawLog, address: DeviceAddress, fields: () -> [(name: String, value: String)]) {
        shell.appendRaw(value, of: PolarPMDFrame.data, to: rawLog, fields: fields)
        do {
            samples += try PolarPMDFrame(decoding: value).microvolts.count
            state = "recording"
        } catch {
            guard !problemReported else { return }
            problemReported = true
            shell.logger.log("strap \(address): \(error) (kept in the raw log; further ones on this connection are not reported)",
                             kind: .badNotification, priority: .warning, fields: fields())
        }
    }
}
