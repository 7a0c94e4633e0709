import ArgumentParser
import Board
import Dispatch
import IngestDaemon

/// `ingestctl board`: the live board for a screen on the gym wall.
struct BoardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "board",
        abstract: "Serve the live board: one tile per strap, updated every half second.",
        discussion: """
            Open http://HOST:PORT/ in a browser (a kiosk browser on a TV). The board reads the \
            daemon's control socket twice a second and serves every screen from that one \
            reading; ingestd itself opens no port. Beyond loopback a token is required: \
            --listen 0.0.0.0:8080 --token-file /etc/ingestd/board.token, and the screens open \
            http://gateway:8080/?token=TOKEN.
            """)

    @Option(name: .long, help: "HOST:PORT to listen on (loopback unless a token file is given).")
    var listen = "127.0.0.1:8080"

    @Option(name: .long, help: "A file holding the token screens must send (required beyond loopback).")
    var tokenFile: String?

    @Option(name: .long, help: "The daemon's control socket.")
    var socket = ControlClient.defaultPath

    func run() throws {
        let (host, port): (String, Int)
        let access: BoardAccess
        do {
            (host, port) = try BoardServer.parse(listen: listen)
            access = try BoardAccess(host: host, tokenFile: tokenFile)
        } catch {
            StandardError.write("ingestctl board: \(error)\n")
            throw ExitCode(2)
        }
        let feed = BoardFeed(socketPath: socket) { StandardError.write($0 + "\n") }
        feed.start()
        let server = BoardServer(host: host, port: port, feed: feed, access: access)
        let beyondLoopback = !BoardAccess.isLoopback(host)
        let done = DispatchSemaphore(value: 0)
        let failure = FailureBox()
        Task {
            defer { done.signal() }
            do {
                try await server.run { bound in
                    StandardError.write("ingestctl board: serving http://\(bound)/ from \(socket)"
                                        + (beyondLoopback ? " beyond loopback: every request needs the token from \(tokenFile ?? "")" : "") + "\n")
                }
            } catch {
                failure.set("ingestctl board: cannot serve on \(listen): \(error)")
            }
        }
        done.wait()
        feed.stop()
        if let message = failure.message {
            StandardError.write(message + "\n")
            throw ExitCode(1)
        }
    }
}

/// The server task's error, read after it ends.
private final class FailureBox: @unchecked Sendable {
    private(set) var message: String?
    func set(_ m: String) { message = m }
}
