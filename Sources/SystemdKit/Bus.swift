import CSystemd
import Glibc
import SystemCall
import SystemPackage

/// Why a D-Bus call gave no answer: the peer's error reply (`org.bluez.Error.InProgress`, …),
/// an sd-bus call that failed here (its errno), or a message of a shape this reader does not take.
public enum BusError: Error, Equatable, CustomStringConvertible {
    /// The peer answered with a D-Bus error name and message.
    case reply(name: String, message: String)
    /// An sd-bus function failed locally.
    case system(SystemCallError)
    /// A message this reader cannot take apart (an empty variant, an unsupported type).
    case malformed(String)

    /// The D-Bus error name of a reply; nil for local failures.
    public var name: String? {
        if case .reply(let name, _) = self { name } else { nil }
    }

    public var description: String {
        switch self {
        case .reply(let name, let message): "\(name): \(message)"
        case .system(let error): error.description
        case .malformed(let what): "malformed D-Bus message: \(what)"
        }
    }
}

/// A connection to a D-Bus bus through sd-bus. Messages are built and read one value at a time
/// (`sd_bus_message_append_basic`, `open_container`, `read_basic`, `enter_container`): no C
/// variadic is ever called from Swift.
public final class Bus {
    let bus: OpaquePointer

    private init(_ bus: OpaquePointer) { self.bus = bus }

    deinit { sd_bus_flush_close_unref(bus) }

    /// The system bus (`sd_bus_open_system`; honours `DBUS_SYSTEM_BUS_ADDRESS`).
    public static func system() throws(BusError) -> Bus {
        var b: OpaquePointer?
        try check(sd_bus_open_system(&b), "sd_bus_open_system")
        return Bus(b!)
    }

    /// A bus at `address` (`unix:path=…`), as a client.
    public static func connect(address: String) throws(BusError) -> Bus {
        var b: OpaquePointer?
        try check(sd_bus_new(&b), "sd_bus_new")
        let bus = Bus(b!)
        try check(sd_bus_set_address(bus.bus, address), "sd_bus_set_address")
        try check(sd_bus_set_bus_client(bus.bus, 1), "sd_bus_set_bus_client")
        try check(sd_bus_start(bus.bus), "sd_bus_start")
        return bus
    }

    /// Lets the event loop drive this connection (`sd_bus_attach_event`). sd-bus flushes and
    /// closes an attached bus when the loop exits: make the last calls before `exit(code:)`.
    public func attach(to loop: EventLoop) throws(BusError) {
        try Self.check(sd_bus_attach_event(bus, loop.event, 0), "sd_bus_attach_event")
    }

    /// Calls a method and waits for its reply. Unix fds in the reply are duplicates the caller
    /// owns and must close. (at most `timeout` seconds).
    public func call(destination: String, path: String, interface: String, member: String,
                     arguments: [BusValue] = [], timeout: Double = 5) throws(BusError) -> [BusValue] {
        var message: OpaquePointer?
        try Self.check(sd_bus_message_new_method_call(bus, &message, destination, path, interface, member),
                       "sd_bus_message_new_method_call")
        defer { sd_bus_message_unref(message) }
        for argument in arguments { try Self.append(argument, to: message!) }
        var error = sd_bus_error(name: nil, message: nil, _need_free: 0)
        defer { sd_bus_error_free(&error) }
        var reply: OpaquePointer?
        let r = sd_bus_call(bus, message, UInt64(timeout * 1_000_000), &error, &reply)
        if r < 0 {
            if let name = error.name {
                throw .reply(name: String(cString: name), message: error.message.map { String(cString: $0) } ?? "")
            }
            throw .system(SystemCallError("sd_bus_call", on: "\(destination) \(path) \(interface).\(member)", errno: Errno(rawValue: -r)))
        }
        defer { sd_bus_message_unref(reply) }
        return try Self.readAll(reply!)
    }

    // MARK: - Writing

    static func append(_ value: BusValue, to m: OpaquePointer) throws(BusError) {
        func basic<T>(_ type: Character, _ v: T) throws(BusError) {
            var copy = v
            try check(withUnsafePointer(to: &copy) { sd_bus_message_append_basic(m, CChar(type.asciiValue!), $0) },
                      "sd_bus_message_append_basic")
        }
        switch value {
        case .byte(let v): try basic("y", v)
        case .bool(let v): try basic("b", Int32(v ? 1 : 0))
        case .int16(let v): try basic("n", v)
        case .uint16(let v): try basic("q", v)
        case .int32(let v): try basic("i", v)
        case .uint32(let v): try basic("u", v)
        case .int64(let v): try basic("x", v)
        case .uint64(let v): try basic("t", v)
        case .double(let v): try basic("d", v)
        case .unixFD(let v): try basic("h", v)
        case .string(let s), .objectPath(let s), .signature(let s):
            let type = CChar(value.signature.utf8.first!)
            try check(s.withCString { sd_bus_message_append_basic(m, type, $0) }, "sd_bus_message_append_basic")
        case .array(let element, let values):
            try container("a", element, m) { () throws(BusError) in for v in values { try append(v, to: m) } }
        case .structure(let values):
            try container("r", String(value.signature.dropFirst().dropLast()), m) { () throws(BusError) in
                for v in values { try append(v, to: m) }
            }
        case .variant(let inner):
            try container("v", inner.signature, m) { () throws(BusError) in try append(inner, to: m) }
        case .dictEntry(let k, let v):
            try container("e", k.signature + v.signature, m) { () throws(BusError) in
                try append(k, to: m)
                try append(v, to: m)
            }
        }
    }

    private static func container(_ type: Character, _ contents: String, _ m: OpaquePointer,
                                  _ body: () throws(BusError) -> Void) throws(BusError) {
        try check(sd_bus_message_open_container(m, CChar(type.asciiValue!), contents), "sd_bus_message_open_container")
        try body()
        try check(sd_bus_message_close_container(m), "sd_bus_message_close_container")
    }

    // MARK: - Reading

    /// Reads every remaining value at the current level of a message.
    static func readAll(_ m: OpaquePointer) throws(BusError) -> [BusValue] {
        var values: [BusValue] = []
        while true {
            var type: CChar = 0
            var contents: UnsafePointer<CChar>?
            let r = sd_bus_message_peek_type(m, &type, &contents)
            try check(r, "sd_bus_message_peek_type")
            if r == 0 { return values }
            values.append(try readOne(m, type: type, contents: contents.map { String(cString: $0) }))
        }
    }

    private static func readOne(_ m: OpaquePointer, type: CChar, contents: String?) throws(BusError) -> BusValue {
        func basic<T>(_ zero: T) throws(BusError) -> T {
            var v = zero
            try check(withUnsafeMutablePointer(to: &v) { sd_bus_message_read_basic(m, type, $0) }, "sd_bus_message_read_basic")
            return v
        }
        func text() throws(BusError) -> String {
            var p: UnsafePointer<CChar>? = nil
            try check(sd_bus_message_read_basic(m, type, &p), "sd_bus_message_read_basic")
            return p.map { String(cString: $0) } ?? ""
        }
        switch UInt8(bitPattern: type) {
        case UInt8(ascii: "y"): return .byte(try basic(UInt8(0)))
        case UInt8(ascii: "b"): return .bool(try basic(Int32(0)) != 0)
        case UInt8(ascii: "n"): return .int16(try basic(Int16(0)))
        case UInt8(ascii: "q"): return .uint16(try basic(UInt16(0)))
        case UInt8(ascii: "i"): return .int32(try basic(Int32(0)))
        case UInt8(ascii: "u"): return .uint32(try basic(UInt32(0)))
        case UInt8(ascii: "x"): return .int64(try basic(Int64(0)))
        case UInt8(ascii: "t"): return .uint64(try basic(UInt64(0)))
        case UInt8(ascii: "d"): return .double(try basic(Double(0)))
        case UInt8(ascii: "h"):
            // The message owns the descriptor and closes it when freed: keep a duplicate.
            let fd = try basic(Int32(-1))
            let copy = fcntl(fd, F_DUPFD_CLOEXEC, 3)
            if copy < 0 { throw .system(.last("fcntl(F_DUPFD_CLOEXEC) of a received fd")) }
            return .unixFD(copy)
        case UInt8(ascii: "s"): return .string(try text())
        case UInt8(ascii: "o"): return .objectPath(try text())
        case UInt8(ascii: "g"): return .signature(try text())
        case UInt8(ascii: "a"), UInt8(ascii: "r"), UInt8(ascii: "v"), UInt8(ascii: "e"):
            let inner = contents ?? ""
            try check(sd_bus_message_enter_container(m, type, inner), "sd_bus_message_enter_container")
            let values = try readAll(m)
            try check(sd_bus_message_exit_container(m), "sd_bus_message_exit_container")
            switch UInt8(bitPattern: type) {
            case UInt8(ascii: "a"): return .array(elementSignature: inner, values)
            case UInt8(ascii: "r"): return .structure(values)
            case UInt8(ascii: "v"):
                guard let v = values.first else { throw .malformed("empty variant") }
                return .variant(v)
            default:
                guard values.count == 2 else { throw .malformed("dict entry with \(values.count) values") }
                return .dictEntry(values[0], values[1])
            }
        default:
            throw .malformed("unsupported D-Bus type '\(Character(UnicodeScalar(UInt8(bitPattern: type))))'")
        }
    }

    @discardableResult
    static func check(_ r: Int32, _ function: String) throws(BusError) -> Int32 {
        if r < 0 { throw .system(SystemCallError(function, errno: Errno(rawValue: -r))) }
        return r
    }
}
