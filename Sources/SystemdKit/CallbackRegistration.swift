/// A C callback registration the caller owns: an sd-event source or an sd-bus slot, with the
/// box holding its Swift closure. `cancel()` (or deinit) releases the C side once; the closure
/// stays alive until this object goes away, so cancelling from inside the callback is safe.
public final class CallbackRegistration {
    private var release: (() -> Void)?
    private var box: AnyObject?

    init(box: AnyObject, release: @escaping () -> Void) {
        self.box = box
        self.release = release
    }

    /// Stops the source or subscription; safe to call twice.
    public func cancel() {
        release?()
        release = nil
    }

    deinit {
        cancel()
        box = nil
    }
}
