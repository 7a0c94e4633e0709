import HeartRateWire
import SystemdKit

/// The steps from a discovered strap to its notification stream: Device1.Connect, the Heart Rate
/// Measurement characteristic among the resolved services, and GattCharacteristic1.AcquireNotify
/// (an AF_UNIX SOCK_SEQPACKET descriptor: one notification per read, EOF on disconnect).
public enum StrapLink {
    /// The Heart Rate Measurement UUID as BlueZ writes it.
    public static let measurementUUID = GATTIdentifier.heartRateMeasurement.uuidString

    /// Asks BlueZ to connect the device (Device1.Connect).
    public static func connect(_ device: String, bus: Bus, timeout: Double = 20) throws(BusError) {
        _ = try bus.call(destination: BlueZObjects.service, path: device, interface: BlueZObjects.deviceInterface,
                         member: "Connect", timeout: timeout)
    }

    /// Whether BlueZ has resolved the device's services.
    public static func servicesResolved(_ device: String, in mirror: ObjectManagerMirror) -> Bool {
        mirror.property("ServicesResolved", of: device, interface: BlueZObjects.deviceInterface) == .bool(true)
    }

    /// The 0x2A37 characteristic's object path under `device`, once resolved.
    public static func measurementCharacteristic(of device: String, in mirror: ObjectManagerMirror) -> String? {
        characteristic(.heartRateMeasurement, of: device, in: mirror)
    }

    /// The object path of the characteristic `uuid` under `device`, once resolved.
    public static func characteristic(_ uuid: GATTIdentifier, of device: String, in mirror: ObjectManagerMirror) -> String? {
        characteristic(ATTUUID(uuid), of: device, in: mirror)
    }

    /// The object path of the characteristic `uuid` (16- or 128-bit) under `device`, once resolved.
    public static func characteristic(_ uuid: ATTUUID, of device: String, in mirror: ObjectManagerMirror) -> String? {
        let wanted = uuid.uuidString
        return mirror.paths(implementing: BlueZObjects.characteristicInterface).first { path in
            path.hasPrefix(device + "/")
                && mirror.property("UUID", of: path, interface: BlueZObjects.characteristicInterface)?.text?.lowercased() == wanted
        }
    }

    /// Acquires the notification stream: the descriptor (the caller owns and closes it) and MTU.
    public static func acquireNotify(_ characteristic: String, bus: Bus, timeout: Double = 5) throws(BusError) -> (fd: Int32, mtu: UInt16) {
        let reply = try bus.call(destination: BlueZObjects.service, path: characteristic,
                                 interface: BlueZObjects.characteristicInterface, member: "AcquireNotify",
                                 arguments: [.array(elementSignature: "{sv}", [])], timeout: timeout)
        guard reply.count == 2, case .unixFD(let fd) = reply[0], case .uint16(let mtu) = reply[1] else {
            throw BusError(name: "org.wearableingest.Error.UnexpectedReply", message: "AcquireNotify answered \(reply)")
        }
        return (fd, mtu)
    }
}
