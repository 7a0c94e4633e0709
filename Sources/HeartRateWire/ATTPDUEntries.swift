/// A handle and an attribute type (Find Information Response).
public struct ATTHandleUUID: Equatable, Sendable {
    public var handle: UInt16
    public var type: ATTUUID
    public init(handle: UInt16, type: ATTUUID) {
        self.handle = handle
        self.type = type
    }
}

/// A handle and its value (Read By Type Response).
public struct ATTHandleValue: Equatable, Sendable {
    public var handle: UInt16
    public var value: [UInt8]
    public init(handle: UInt16, value: [UInt8]) {
        self.handle = handle
        self.value = value
    }
}

/// A handle range and the group's value (Read By Group Type Response: a service and its UUID).
public struct ATTGroup: Equatable, Sendable {
    public var handle: UInt16
    public var end: UInt16
    public var value: [UInt8]
    public init(handle: UInt16, end: UInt16, value: [UInt8]) {
        self.handle = handle
        self.end = end
        self.value = value
    }
}
