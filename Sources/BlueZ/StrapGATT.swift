import HeartRateWire
import SystemdKit

/// A strap's GATT objects in the mirror: whether BlueZ resolved its services, and the object
/// path of a characteristic (0x2A37, battery, body sensor location, Polar PMD) under it. The
/// calls on them (Connect, AcquireNotify, StartNotify, ReadValue) are `BlueZSource`'s, all
/// asynchronous.
public enum StrapGATT {
    /// The Heart Rate Measurement UUID as BlueZ writes it.
    public static let measurementUUID = GATTIdentifier.heartRateMeasurement.uuidString

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
}
