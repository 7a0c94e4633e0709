import Charts
import Foundation
import Ingest
import IngestDaemon
import Synchronization

/// The board's one reader of the daemon: a thread asks the control socket for `devices` every
/// `interval` seconds and keeps the latest frame. Every browser is served from that frame, so
/// the daemon answers one request per interval whatever the number of screens, and a browser
/// that reads slowly only ever waits on its own connection (the board buffers, never ingestd).
public final class BoardFeed: Sendable {
    /// One rendered state of the board.
    public struct Frame: Encodable, Sendable, Equatable {
        /// Increases with every poll.
        public let sequence: Int
        /// Whether the daemon answered.
        public let running: Bool
        /// The tiles (`BoardPage.tiles`).
        public let html: String
        /// What the page shows, for a full page load.
        public let view: BoardPage.View

        enum CodingKeys: String, CodingKey { case sequence, running, html }

        public init(sequence: Int, view: BoardPage.View) {
            self.sequence = sequence
            self.view = view
            html = BoardPage.tiles(view)
            if case .devices = view { running = true } else { running = false }
        }
    }

    public let socketPath: String
    public let interval: Double
    private let state: Mutex<(frame: Frame, reported: Bool?)>
    private let stopped = Atomic<Bool>(false)
    private let report: @Sendable (String) -> Void

    /// A feed from the control socket at `socketPath`; `report` is told when the daemon stops or
    /// starts answering (the board's log lines).
    public init(socketPath: String, interval: Double = 0.5, report: @escaping @Sendable (String) -> Void) {
        self.socketPath = socketPath
        self.interval = interval
        self.report = report
        state = Mutex((Frame(sequence: 0, view: .unavailable("waiting for the first answer from \(socketPath)")), nil))
    }

    /// The latest frame.
    public var latest: Frame { state.withLock { $0.frame } }

    /// Polls once now (the thread's step; tests call it directly).
    public func poll() {
        let view: BoardPage.View
        do {
            let data = try ControlClient.request(["request": "devices"], socketPath: socketPath, timeout: 1)
            view = .devices(try JSONDecoder().decode([StatusSnapshot.Device].self, from: data))
        } catch let failure as ControlClient.Failure {
            view = .unavailable(failure.description)
        } catch {
            view = .unavailable("unreadable devices answer from \(socketPath): \(error)")
        }
        let (wasRunning, isRunning) = state.withLock { s -> (Bool?, Bool) in
            let was = s.reported
            s.frame = Frame(sequence: s.frame.sequence + 1, view: view)
            s.reported = s.frame.running
            return (was, s.frame.running)
        }
        if wasRunning != isRunning {
            if case .unavailable(let why) = view { report("board: \(why); showing \"ingestd not running\" until it answers") }
            else { report("board: ingestd answers on \(socketPath)") }
        }
    }

    /// Starts the polling thread.
    public func start() {
        let thread = Thread { [self] in
            while !stopped.load(ordering: .relaxed) {
                poll()
                Thread.sleep(forTimeInterval: interval)
            }
        }
        thread.name = "board-feed"
        thread.start()
    }

    /// Stops the polling thread after its current step.
    public func stop() { stopped.store(true, ordering: .relaxed) }
}
