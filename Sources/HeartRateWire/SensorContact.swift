/// The Sensor Contact Status bits (flags bits 1–2) of a Heart Rate Measurement.
public enum SensorContact: Hashable, Sendable {
    /// Bit 2 clear: the sensor does not support contact detection (bit 1 carries no meaning).
    case notSupported
    /// Bits 2 and 1 set: supported and the skin contact is good.
    case detected
    /// Bit 2 set, bit 1 clear: supported, but the strap reports poor or no contact.
    case notDetected
}
