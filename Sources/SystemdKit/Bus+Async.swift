import CSystemd

/// A signal as received: where it came from and its arguments.
public struct BusSignal: Sendable {
    public var sender: String
    public var path: String
    public var interface: String
    public var member: String
    public var arguments: [BusValue]
}

/// A signal subscription or pending call the caller owns (see `CallbackRegistration`).
public typealias BusSlot = CallbackRegistration

extension Bus {
    private final class Box<T> {
        let handler: T
        init(_ handler: T) { self.handler = handler }
    }

    /// Calls `handler` for each matching signal (nil matches anything), from the event loop the
    /// bus is attached to (wraps `sd_bus_match_signal`).
    public func onSignal(sender: String? = nil, path: String? = nil, interface: String? = nil, member: String? = nil,
                         _ handler: @escaping (BusSignal) -> Void) throws(BusError) -> BusSlot {
        let box = Box(handler)
        var slot: OpaquePointer?
        let userdata = Unmanaged.passUnretained(box).toOpaque()
        let r = sd_bus_match_signal(bus, &slot, sender, path, interface, member, { m, userdata, _ in
            guard let m, let userdata else { return 0 }
            let box = Unmanaged<Box<(BusSignal) -> Void>>.fromOpaque(userdata).takeUnretainedValue()
            func text(_ p: UnsafePointer<CChar>?) -> String { p.map { String(cString: $0) } ?? "" }
            let arguments = (try? Bus.readAll(m)) ?? []
            box.handler(BusSignal(sender: text(sd_bus_message_get_sender(m)), path: text(sd_bus_message_get_path(m)),
                                  interface: text(sd_bus_message_get_interface(m)), member: text(sd_bus_message_get_member(m)),
                                  arguments: arguments))
            return 0
        }, userdata)
        try Self.check(r, "sd_bus_match_signal")
        return CallbackRegistration(box: box) { sd_bus_slot_unref(slot) }
    }

    /// Calls a method without waiting; `handler` gets the reply or the error from the event loop
    /// (wraps `sd_bus_call_async`). Keep the slot until the handler ran, or cancel it.
    public func callAsync(destination: String, path: String, interface: String, member: String,
                          arguments: [BusValue] = [], timeout: Double = 25,
                          _ handler: @escaping (Result<[BusValue], BusError>) -> Void) throws(BusError) -> BusSlot {
        var message: OpaquePointer?
        try Self.check(sd_bus_message_new_method_call(bus, &message, destination, path, interface, member),
                       "sd_bus_message_new_method_call")
        defer { sd_bus_message_unref(message) }
        for argument in arguments { try Self.append(argument, to: message!) }
        let box = Box(handler)
        var slot: OpaquePointer?
        let userdata = Unmanaged.passUnretained(box).toOpaque()
        let r = sd_bus_call_async(bus, &slot, message, { m, userdata, _ in
            guard let m, let userdata else { return 0 }
            let box = Unmanaged<Box<(Result<[BusValue], BusError>) -> Void>>.fromOpaque(userdata).takeUnretainedValue()
            if let e = sd_bus_message_get_error(m), let name = e.pointee.name {
                box.handler(.failure(.reply(name: String(cString: name), message: e.pointee.message.map { String(cString: $0) } ?? "")))
            } else {
                do throws(BusError) {
                    box.handler(.success(try Bus.readAll(m)))
                } catch {
                    box.handler(.failure(error))
                }
            }
            return 0
        }, userdata, UInt64(timeout * 1_000_000))
        try Self.check(r, "sd_bus_call_async")
        return CallbackRegistration(box: box) { sd_bus_slot_unref(slot) }
    }

    /// Takes a well-known name on the bus (`sd_bus_request_name`).
    public func requestName(_ name: String) throws(BusError) {
        try Self.check(sd_bus_request_name(bus, name, 0), "sd_bus_request_name")
    }
}
