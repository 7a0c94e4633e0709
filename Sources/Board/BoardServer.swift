import Charts
import Hummingbird
import Logging
import Ingest
import NIOCore

/// The board's HTTP server (Hummingbird): `GET /` is the page with the tiles as they stand,
/// `GET /events` a Server-Sent Events stream of the feed's frames (one every `eventInterval`
/// seconds, so at least once a second), `GET /healthz` says whether ingestd answers. Every
/// route checks `access`. ingestd itself opens no port: this process reads its control socket.
public struct BoardServer: Sendable {
    public let host: String
    public let port: Int
    public let feed: BoardFeed
    public let access: BoardAccess
    /// Seconds between events on one stream.
    public var eventInterval = 0.5

    /// Why a `--listen` value is refused.
    public struct BadAddress: Error, CustomStringConvertible {
        public let description: String
    }

    /// The host and port of `HOST:PORT` or `[IPv6]:PORT`.
    public static func parse(listen: String) throws(BadAddress) -> (host: String, port: Int) {
        let host: Substring, port: Substring
        if listen.hasPrefix("["), let close = listen.firstIndex(of: "]") {
            host = listen[listen.index(after: listen.startIndex)..<close]
            let rest = listen[listen.index(after: close)...]
            guard rest.hasPrefix(":") else { throw BadAddress(description: "--listen \(listen): expected [ADDRESS]:PORT") }
            port = rest.dropFirst()
        } else if let colon = listen.lastIndex(of: ":") {
            host = listen[..<colon]
            port = listen[listen.index(after: colon)...]
        } else {
            throw BadAddress(description: "--listen \(listen): expected HOST:PORT, for example 127.0.0.1:8080")
        }
        guard !host.isEmpty else { throw BadAddress(description: "--listen \(listen): no host (0.0.0.0 for every address)") }
        guard let p = Int(port), (0...65_535).contains(p) else {
            throw BadAddress(description: "--listen \(listen): the port must be a number from 0 to 65535")
        }
        return (String(host), p)
    }

    public init(host: String, port: Int, feed: BoardFeed, access: BoardAccess) {
        self.host = host
        self.port = port
        self.feed = feed
        self.access = access
    }

    /// Serves until SIGINT or SIGTERM; `onRunning` gets the address actually bound (port 0
    /// picks one).
    public func run(onRunning: @escaping @Sendable (String) -> Void) async throws {
        let router = Router()
        let feed = self.feed, access = self.access, interval = eventInterval
        router.get("/") { request, _ -> Response in
            guard Self.admits(request, access) else { return Self.unauthorized() }
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: BoardPage.document(feed.latest.view))))
        }
        router.get("events") { request, _ -> Response in
            guard Self.admits(request, access) else { return Self.unauthorized() }
            return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
                            body: ResponseBody { writer in
                                // Each stream writes the latest frame; a slow reader waits here
                                // on its own connection and skips the frames it missed.
                                try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
                                while !Task.isCancelled {
                                    let frame = feed.latest
                                    try await writer.write(ByteBuffer(string: "id: \(frame.sequence)\ndata: \(Self.json(frame))\n\n"))
                                    try await Task.sleep(for: .milliseconds(Int(interval * 1000)))
                                }
                                try await writer.finish(nil)
                            })
        }
        router.get("healthz") { request, _ -> Response in
            guard Self.admits(request, access) else { return Self.unauthorized() }
            let running = feed.latest.running
            return Response(status: running ? .ok : .serviceUnavailable, headers: [.contentType: "text/plain"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: running ? "ingestd answers\n" : "ingestd not running\n")))
        }
        var logger = Logger(label: "ingestctl-board")
        logger.logLevel = .warning
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "ingestctl-board"),
            onServerRunning: { channel in
                onRunning(channel.localAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?")
            },
            logger: logger)
        try await app.runService()
    }

    static func admits(_ request: Request, _ access: BoardAccess) -> Bool {
        access.admits(authorization: request.headers[.authorization], queryToken: request.uri.queryParameters.get("token"))
    }

    static func unauthorized() -> Response {
        Response(status: .unauthorized, headers: [.contentType: "text/plain", .wwwAuthenticate: "Bearer"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: "this board needs its token: ?token=… or Authorization: Bearer …\n")))
    }

    static func json(_ frame: BoardFeed.Frame) -> String {
        // One line: JSON escapes every newline inside the HTML.
        Ingest.JSONLines.line(frame)
    }
}
