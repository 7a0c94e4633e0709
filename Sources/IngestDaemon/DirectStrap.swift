import DirectATT
import Ingest
import SystemdKit
import Traces

/// One strap of the direct backend: its socket, its ATT client, its link state and backoff,
/// its pipeline and raw log. Driven by `DirectDaemon` on the loop thread.
final class DirectStrap {
    enum Link: Equatable {
        case retrying(at: Double)
        case connecting(since: Double)
        case discovering(since: Double)
        case streaming(last: Double)
        case unsupported

        var name: String {
            switch self {
            case .retrying: "retrying"
            case .connecting: "connecting"
            case .discovering: "discovering"
            case .streaming: "streaming"
            case .unsupported: "unsupported"
            }
        }
    }

    let entry: BluetoothSettings.DirectStrap
    let address: DeviceAddress
    let pipeline: StrapPipeline
    let rawLog: DailyRawLog
    var link = Link.retrying(at: 0)
    var socket: ATTSocket?
    var stream: EventSource?
    var client = StrapATTClient()
    var battery: Int?
    var location: String?
    var reconnects = 0
    /// Polar ECG, when `polar_ecg` is on.
    var ecg: ECGRecording?
    var backoff: ReconnectBackoff

    init(entry: BluetoothSettings.DirectStrap, address: DeviceAddress, pipeline: StrapPipeline, rawLog: DailyRawLog,
         backoff: ReconnectBackoff) {
        self.entry = entry
        self.backoff = backoff
        self.address = address
        self.pipeline = pipeline
        self.rawLog = rawLog
    }

    /// The status line's link details.
    var details: StatusWriter.LinkDetails {
        StatusWriter.LinkDetails(name: nil, state: link.name, battery: battery, location: location, reconnects: reconnects,
                                 ecg: ecg?.state, ecgSamples: ecg?.samples)
    }

    /// The journal fields naming this strap.
    var fields: [(name: String, value: String)] {
        [("DEVICE_ADDRESS", address.description), ("LINK_STATE", link.name)]
    }

    /// Drops the connection.
    func disconnect() {
        stream?.cancel()
        stream = nil
        socket?.close()
        socket = nil
    }
}
