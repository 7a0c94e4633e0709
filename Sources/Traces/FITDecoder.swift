/// A streaming decoder of the FIT binary format (Garmin FIT protocol 1.0/2.0).
///
/// Handles the file header (12 or 14 bytes, optional header CRC), definition and data
/// messages in either byte order, compressed-timestamp headers, developer fields (skipped),
/// chained FIT files, and checks the file CRC at the end of each file. Only the fields of
/// `interesting` messages are kept; the others are skipped after their timestamp is read.
public struct FITDecoder<Source: ByteChunkSource> {
    private struct FieldDefinition {
        var number: UInt8
        var size: Int
        var baseType: UInt8
    }

    private struct Definition {
        var globalNumber: UInt16
        var bigEndian: Bool
        var fields: [FieldDefinition]
        var developerSize: Int
        var totalSize: Int
    }

    private enum State {
        case fileHeader
        case records(dataEnd: Int)
        case done
    }

    private var reader: ByteReader<Source>
    private let name: String
    private let interesting: Set<UInt16>
    private var state = State.fileHeader
    private var crc = FITCRC()
    private var definitions = [Definition?](repeating: nil, count: 16)
    private var lastTimestamp: UInt32? = nil
    private var filesRead = 0

    /// Data messages seen so far, by global message number (all messages, interesting or not).
    public private(set) var messageCounts: [UInt16: Int] = [:]

    /// Decodes from `source`; `name` appears in errors.
    public init(_ source: Source, name: String, interesting: Set<UInt16>) {
        reader = ByteReader(source)
        self.name = name
        self.interesting = interesting
    }

    /// The next interesting data message, or nil after the last file's CRC.
    public mutating func next() throws(TraceError) -> FITMessage? {
        while true {
            switch state {
            case .done:
                return nil
            case .fileHeader:
                try readFileHeader()
            case .records(let dataEnd):
                if reader.offset >= dataEnd {
                    try readFileCRC(dataEnd: dataEnd)
                    continue
                }
                if let message = try readRecord(dataEnd: dataEnd) { return message }
            }
        }
    }

    // MARK: - File framing

    private mutating func readFileHeader() throws(TraceError) {
        let start = reader.offset
        guard try reader.request(1) else {
            if filesRead == 0 { throw TraceError(.empty, source: name, at: .whole, "no FIT header") }
            state = .done
            return
        }
        crc = FITCRC()
        let size = Int(reader.peek())
        guard size == 12 || size == 14 else {
            throw TraceError(.malformed, source: name, at: .offset(start),
                             "FIT header size \(size), expected 12 or 14 (not a FIT file?)")
        }
        guard try reader.request(size) else {
            throw TraceError(.truncated, source: name, at: .offset(start),
                             "file ends inside the \(size)-byte FIT header")
        }
        let header = Array(reader.bytes(size))
        guard header[8] == 0x2E, header[9] == 0x46, header[10] == 0x49, header[11] == 0x54 else {
            throw TraceError(.malformed, source: name, at: .offset(start + 8), "missing the `.FIT` signature")
        }
        let dataSize = Int(header[4]) | Int(header[5]) << 8 | Int(header[6]) << 16 | Int(header[7]) << 24
        if size == 14 {
            let stored = UInt16(header[12]) | UInt16(header[13]) << 8
            let computed = FITCRC.checksum(header[0..<12])
            if stored != 0 && stored != computed {
                throw TraceError(.checksum, source: name, at: .offset(start + 12),
                                 "header CRC is 0x\(hex(stored)), the header computes to 0x\(hex(computed))")
            }
        }
        crc.update(header)
        definitions = [Definition?](repeating: nil, count: 16)
        state = .records(dataEnd: reader.offset + dataSize)
    }

    private mutating func readFileCRC(dataEnd: Int) throws(TraceError) {
        guard reader.offset == dataEnd else {
            throw TraceError(.malformed, source: name, at: .offset(reader.offset),
                             "a record runs past the data size the header gives (ends at \(dataEnd))")
        }
        guard try reader.request(2) else {
            throw TraceError(.truncated, source: name, at: .offset(reader.offset),
                             "file ends before its 2-byte CRC")
        }
        let lo = reader.byte()
        let hi = reader.byte()
        let stored = UInt16(lo) | UInt16(hi) << 8
        if stored != crc.value {
            throw TraceError(.checksum, source: name, at: .offset(dataEnd),
                             "file CRC is 0x\(hex(stored)), the data computes to 0x\(hex(crc.value))")
        }
        filesRead += 1
        state = .fileHeader  // a chained FIT file may follow
    }

    private mutating func take(_ count: Int, at recordStart: Int, dataEnd: Int, _ what: @autoclosure () -> String) throws(TraceError) -> ArraySlice<UInt8> {
        guard reader.offset + count <= dataEnd else {
            throw TraceError(.malformed, source: name, at: .offset(recordStart),
                             "\(what()) needs \(count) bytes but the data section ends at \(dataEnd)")
        }
        guard try reader.request(count) else {
            throw TraceError(.truncated, source: name, at: .offset(recordStart),
                             "file ends inside \(what()) (needs \(count) bytes, \(reader.buffered) left)")
        }
        let bytes = reader.bytes(count)
        crc.update(bytes)
        return bytes
    }

    // MARK: - Records

    private mutating func readRecord(dataEnd: Int) throws(TraceError) -> FITMessage? {
        let start = reader.offset
        let header = try take(1, at: start, dataEnd: dataEnd, "a record header").first!
        if header & 0x80 != 0 {
            let local = Int((header >> 5) & 0x03)
            let offset = UInt32(header & 0x1F)
            if let last = lastTimestamp {
                var t = (last & ~0x1F) | offset
                if offset < last & 0x1F { t &+= 0x20 }
                lastTimestamp = t
            }
            return try readData(local: local, start: start, dataEnd: dataEnd, compressedTime: lastTimestamp)
        }
        let local = Int(header & 0x0F)
        if header & 0x40 != 0 {
            try readDefinition(local: local, developer: header & 0x20 != 0, start: start, dataEnd: dataEnd)
            return nil
        }
        return try readData(local: local, start: start, dataEnd: dataEnd, compressedTime: nil)
    }

    private mutating func readDefinition(local: Int, developer: Bool, start: Int, dataEnd: Int) throws(TraceError) {
        let fixed = try take(5, at: start, dataEnd: dataEnd, "a definition message")
        let arch = fixed[fixed.startIndex + 1]
        guard arch <= 1 else {
            throw TraceError(.malformed, source: name, at: .offset(start + 2),
                             "architecture byte \(arch), expected 0 (little) or 1 (big endian)")
        }
        let bigEndian = arch == 1
        let g0 = UInt16(fixed[fixed.startIndex + 2])
        let g1 = UInt16(fixed[fixed.startIndex + 3])
        let global = bigEndian ? g0 << 8 | g1 : g1 << 8 | g0
        let count = Int(fixed[fixed.startIndex + 4])
        let raw = try take(count * 3, at: start, dataEnd: dataEnd, "\(count) field definitions")
        var fields: [FieldDefinition] = []
        fields.reserveCapacity(count)
        var total = 0
        var i = raw.startIndex
        for _ in 0..<count {
            let size = Int(raw[i + 1])
            fields.append(FieldDefinition(number: raw[i], size: size, baseType: raw[i + 2]))
            total += size
            i += 3
        }
        var developerSize = 0
        if developer {
            let n = Int(try take(1, at: start, dataEnd: dataEnd, "the developer field count").first!)
            let dev = try take(n * 3, at: start, dataEnd: dataEnd, "\(n) developer field definitions")
            var j = dev.startIndex
            for _ in 0..<n {
                developerSize += Int(dev[j + 1])
                j += 3
            }
        }
        definitions[local] = Definition(globalNumber: global, bigEndian: bigEndian, fields: fields,
                                        developerSize: developerSize, totalSize: total + developerSize)
    }

    private mutating func readData(local: Int, start: Int, dataEnd: Int, compressedTime: UInt32?) throws(TraceError) -> FITMessage? {
        guard let definition = definitions[local] else {
            throw TraceError(.malformed, source: name, at: .offset(start),
                             "data message for local type \(local), which has no definition")
        }
        let body = try take(definition.totalSize, at: start, dataEnd: dataEnd,
                            "a data message of global type \(definition.globalNumber)")
        messageCounts[definition.globalNumber, default: 0] += 1
        let keep = interesting.contains(definition.globalNumber)
        var message = FITMessage(globalNumber: definition.globalNumber, timestamp: compressedTime,
                                 fields: [:], offset: start)
        var position = body.startIndex
        for field in definition.fields {
            defer { position += field.size }
            guard keep || field.number == 253 else { continue }
            let elementSize = Self.elementSize(field.baseType)
            guard elementSize > 0, field.size % elementSize == 0, Self.isInteger(field.baseType) else { continue }
            var values: [UInt64] = []
            var p = position
            while p < position + field.size {
                var v: UInt64 = 0
                for k in 0..<elementSize {
                    let b = UInt64(body[p + k])
                    v |= definition.bigEndian ? b << UInt64(8 * (elementSize - 1 - k)) : b << UInt64(8 * k)
                }
                if v != Self.invalidValue(field.baseType, size: elementSize) { values.append(v) }
                p += elementSize
            }
            if field.number == 253, let t = values.first {
                message.timestamp = UInt32(truncatingIfNeeded: t)
                lastTimestamp = message.timestamp
            }
            if keep && !values.isEmpty { message.fields[field.number] = values }
        }
        return keep ? message : nil
    }

    // MARK: - Base types

    private static func elementSize(_ baseType: UInt8) -> Int {
        switch baseType & 0x1F {
        case 0x00, 0x01, 0x02, 0x07, 0x0A, 0x0D: return 1
        case 0x03, 0x04, 0x0B: return 2
        case 0x05, 0x06, 0x08, 0x0C: return 4
        case 0x09, 0x0E, 0x0F, 0x10: return 8
        default: return 0
        }
    }

    private static func isInteger(_ baseType: UInt8) -> Bool {
        switch baseType & 0x1F {
        case 0x07, 0x08, 0x09: return false  // string, float32, float64
        default: return true
        }
    }

    private static func invalidValue(_ baseType: UInt8, size: Int) -> UInt64 {
        switch baseType & 0x1F {
        case 0x0A, 0x0B, 0x0C, 0x10: return 0  // uint8z, uint16z, uint32z, uint64z
        case 0x01: return 0x7F
        case 0x03: return 0x7FFF
        case 0x05: return 0x7FFF_FFFF
        case 0x0E: return 0x7FFF_FFFF_FFFF_FFFF
        default: return size == 8 ? UInt64.max : (UInt64(1) << UInt64(8 * size)) - 1
        }
    }
}

func hex(_ v: UInt16) -> String {
    let s = String(v, radix: 16, uppercase: true)
    return String(repeating: "0", count: 4 - s.count) + s
}
