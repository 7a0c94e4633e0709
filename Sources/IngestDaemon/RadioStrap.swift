import Ingest

/// A strap on either radio backend (`BlueZStrap`, `DirectStrap`), as status shows it.
protocol RadioStrap: AnyObject {
    var name: String? { get }
    var machine: StrapLinkMachine { get }
    var battery: Int? { get }
    var location: String? { get }
    var ecg: ECGRecording? { get }
}

extension RadioStrap {
    /// The status line's link details.
    var details: StatusWriter.LinkDetails {
        StatusWriter.LinkDetails(name: name, state: machine.state.name, battery: battery, location: location,
                                 reconnects: machine.reconnects, ecg: ecg?.state, ecgSamples: ecg?.samples)
    }
}
