import DirectATT
import Ingest
import SystemdKit
import Traces

/// One strap of the direct backend: its socket, its ATT client, its link machine (the same
/// `StrapLinkMachine` as the BlueZ backend's), its channel (raw log and pipeline). Driven by
/// `DirectATTSource` on the loop thread.
final class DirectStrap: RadioStrap {
    let entry: BluetoothSettings.DirectStrap
    let address: DeviceAddress
    /// Direct straps are listed by address; no advertised name is read.
    let name: String? = nil
    /// Where its notifications go.
    let channel: StrapChannel
    var pipeline: StrapPipeline { channel.pipeline }
    var rawLog: DailyRawLog { channel.rawLog }
    var machine: StrapLinkMachine
    var socket: ATTSocket?
    var stream: EventSource?
    /// Watches a connect in progress for writability (its end), once.
    var connecting: EventSource?
    /// Fires at the link machine's next deadline.
    var alarm: EventAlarm?
    var client = StrapATTClient()
    /// The last measurement value, reused for every notification.
    var value: [UInt8] = []
    var battery: Int?
    var location: String?
    /// Polar ECG, when `polar_ecg` is on.
    var ecg: ECGRecording?

    init(entry: BluetoothSettings.DirectStrap, address: DeviceAddress, channel: StrapChannel, machine: StrapLinkMachine) {
        self.entry = entry
        self.address = address
        self.channel = channel
        self.machine = machine
    }

    /// The journal fields naming this strap.
    var fields: [(name: String, value: String)] {
        [("DEVICE_ADDRESS", address.description)]
    }

    /// Drops the connection.
    func disconnect() {
        connecting?.cancel()
        connecting = nil
        stream?.cancel()
        stream = nil
        socket?.close()
        socket = nil
    }
}
