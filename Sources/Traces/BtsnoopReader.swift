import HeartRateWire

/// Reads a btsnoop capture (`btmon -w`, datalink 2001; HCI UART H4 captures, datalink 1002; and
/// un-encapsulated HCI, 1001) and yields the Heart Rate Measurement notifications in it, as a
/// live strap would deliver them.
///
/// The reader follows each LE connection: LE (Enhanced) Connection Complete events name the
/// peer's address, ACL fragments are reassembled into L2CAP frames, and ATT (CID 4) frames from
/// the controller are decoded. The heart-rate value handle comes from the capture's own
/// discovery (a Read By Type Response declaring 0x2A37) or, for a capture that starts after
/// discovery, from `heartRateHandle`. A torn or corrupt tail stops the reader with everything
/// before it delivered (`tailDamage`); packets it cannot use are counted in `skipped`.
public struct BtsnoopReader<Source: ByteChunkSource>: TraceReader {
    /// Microseconds from 0000-01-01 (btsnoop's epoch) to 1970-01-01.
    public static var unixEpochMicros: Int64 { 0x00DC_DDB3_0F2F_8000 }
    /// The datalinks read.
    public enum Datalink: UInt32, Sendable {
        case unencapsulatedHCI = 1001, hciUART = 1002, linuxMonitor = 2001
    }

    private var reader: ByteReader<Source>
    private let name: String
    private let givenHandle: UInt16?
    private var datalink: Datalink?
    private var finished = false
    private var connections: [UInt16: Connection] = [:]
    private var pending: [RawNotification] = []

    /// The damage that ended the capture early, nil for a clean end.
    public private(set) var tailDamage: String? = nil

    /// The torn tail, if any, for a warning.
    public var damage: [String] { tailDamage.map { [$0] } ?? [] }
    /// Packets read and packets skipped (other protocols, undecodable ATT, unknown handles).
    public private(set) var packets = 0
    public private(set) var skipped = 0
    /// Notifications on handles never declared as 0x2A37 (with no handle given).
    public private(set) var unknownHandleNotifications = 0
    /// Notifications delivered.
    public private(set) var delivered = 0

    private struct Connection {
        var address = DeviceAddress.replay
        var fragment: [UInt8] = []
        /// 4 + the L2CAP length, once the fragment holds the basic header.
        var expected: Int?
        var heartRateHandle: UInt16?
    }

    /// Reads from `source`; `name` appears in errors; `heartRateHandle` names the 0x2A37 value
    /// handle when the capture holds no discovery.
    public init(_ source: Source, name: String, heartRateHandle: UInt16? = nil) {
        reader = ByteReader(source)
        self.name = name
        givenHandle = heartRateHandle
    }

    public mutating func next() throws(TraceError) -> TraceEvent? {
        if datalink == nil { try readHeader() }
        while pending.isEmpty {
            if finished {
                if delivered == 0 && unknownHandleNotifications > 0 {
                    throw TraceError(.malformed, source: name, at: .whole,
                                     "\(unknownHandleNotifications) notifications, but the capture holds no discovery of Heart Rate Measurement (0x2A37); give its value handle (--att-handle)")
                }
                return nil
            }
            try readRecord()
        }
        delivered += 1
        return .notification(pending.removeFirst())
    }

    private mutating func readHeader() throws(TraceError) {
        guard try reader.request(16) else {
            throw TraceError(reader.buffered == 0 ? .empty : .truncated, source: name, at: .offset(0), "no 16-byte btsnoop header")
        }
        let header = Array(reader.bytes(16))
        guard Array(header[0..<8]) == Array("btsnoop\0".utf8) else {
            throw TraceError(.malformed, source: name, at: .offset(0), "not a btsnoop file (magic)")
        }
        let version = be32(header, 8), link = be32(header, 12)
        guard version == 1 else { throw TraceError(.malformed, source: name, at: .offset(8), "btsnoop version \(version), expected 1") }
        guard let d = Datalink(rawValue: link) else {
            throw TraceError(.malformed, source: name, at: .offset(12), "datalink \(link); this reader reads 1001, 1002 and 2001")
        }
        datalink = d
    }

    private mutating func readRecord() throws(TraceError) {
        let start = reader.offset
        guard try reader.request(24) else {
            if reader.buffered > 0 { tailDamage = "\(name)@\(start): a record header is cut off" }
            finished = true
            return
        }
        let header = Array(reader.bytes(24))
        let original = Int(be32(header, 0)), included = Int(be32(header, 4)), flags = be32(header, 8)
        guard included <= original, included <= 65_535 + 16 else {
            tailDamage = "\(name)@\(start): record length \(included) (original \(original)) is impossible"
            finished = true
            return
        }
        guard try reader.request(included) else {
            tailDamage = "\(name)@\(start): the last record is torn (\(reader.buffered) of \(included) bytes)"
            finished = true
            return
        }
        let data = Array(reader.bytes(included))
        var ts: UInt64 = 0
        for i in 16..<24 { ts = ts << 8 | UInt64(header[i]) }
        let micros = Int64(bitPattern: ts) &- Self.unixEpochMicros
        packets += 1
        guard included == original else { skipped += 1; return }  // snapped: not the whole packet
        switch datalink! {
        case .linuxMonitor:
            switch flags & 0xFFFF {
            case 3: event(data)
            case 5: acl(data, time: micros)
            default: skipped += 1
            }
        case .hciUART:
            guard let type = data.first else { skipped += 1; return }
            let body = Array(data.dropFirst())
            switch (type, flags & 1) {
            case (0x04, _): event(body)
            case (0x02, 1): acl(body, time: micros)
            default: skipped += 1
            }
        case .unencapsulatedHCI:
            switch flags & 3 {
            case 3: event(data)
            case 1: acl(data, time: micros)
            default: skipped += 1
            }
        }
    }

    /// LE (Enhanced) Connection Complete: remember the peer; Disconnection Complete: forget it.
    private mutating func event(_ e: [UInt8]) {
        guard e.count >= 2, Int(e[1]) == e.count - 2 else { skipped += 1; return }
        if e[0] == 0x3E, e.count >= 14, e[2] == 0x01 || e[2] == 0x0A, e[3] == 0 {
            let handle = UInt16(e[4]) | UInt16(e[5] & 0x0F) << 8
            var c = Connection()
            c.address = DeviceAddress(e[13], e[12], e[11], e[10], e[9], e[8])
            connections[handle] = c
        } else if e[0] == 0x05, e.count >= 6, e[2] == 0 {
            connections[UInt16(e[3]) | UInt16(e[4] & 0x0F) << 8] = nil
        } else {
            skipped += 1
        }
    }

    /// One ACL packet from the controller: reassemble L2CAP, then read ATT on CID 4.
    private mutating func acl(_ p: [UInt8], time: Int64) {
        guard p.count >= 4, Int(UInt16(p[2]) | UInt16(p[3]) << 8) == p.count - 4 else { skipped += 1; return }
        let handle = UInt16(p[0]) | UInt16(p[1] & 0x0F) << 8
        let boundary = (p[1] >> 4) & 0x03
        var c = connections[handle] ?? Connection()
        if boundary == 0x01 {
            guard !c.fragment.isEmpty else { skipped += 1; return }
            c.fragment += p[4...]
        } else {
            if !c.fragment.isEmpty { skipped += 1 }  // an unfinished frame, abandoned by the sender
            c.fragment = Array(p[4...])
            c.expected = nil
        }
        if c.expected == nil, c.fragment.count >= 4 {
            c.expected = 4 + Int(UInt16(c.fragment[0]) | UInt16(c.fragment[1]) << 8)
        }
        if let expected = c.expected, c.fragment.count >= expected {
            let frame = c.fragment
            c.fragment = []
            c.expected = nil
            if frame.count == expected, frame[2] == 0x04, frame[3] == 0x00 {
                att(Array(frame[4...]), connection: &c, time: time)
            } else {
                skipped += 1
            }
        }
        connections[handle] = c
    }

    private mutating func att(_ bytes: [UInt8], connection c: inout Connection, time: Int64) {
        guard let pdu = try? ATTPDU(decoding: bytes) else { skipped += 1; return }
        switch pdu {
        case .readByTypeResponse(let entries):
            for e in entries {
                if let d = ATTCharacteristicDeclaration(e.value), d.type == ATTUUID(.heartRateMeasurement) {
                    c.heartRateHandle = d.valueHandle
                }
            }
        case .handleValueNotification(let handle, let value):
            if handle == (c.heartRateHandle ?? givenHandle) {
                pending.append(RawNotification(receiveTimeMicros: time, device: c.address,
                                               characteristic: .heartRateMeasurement, value: value))
            } else if c.heartRateHandle == nil && givenHandle == nil {
                unknownHandleNotifications += 1
            }
        default:
            break
        }
    }

    private func be32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
    }
}
