import Foundation

/// A real Prometheus node_exporter (Debian's prometheus-node-exporter) serving one textfile
/// directory on a loopback port, scraped the way Prometheus would. Its textfile collector parses
/// every `*.prom` file strictly: a malformed file sets `node_textfile_scrape_error 1` and drops
/// the file's metrics, so a scrape checks the format as well as the values.
public final class NodeExporter {
    /// Unpacked by scripts/install-deps (not installed: the package enables a service on :9100).
    public static let executable = TestPaths.packageRoot + "/.build/test-tools/usr/bin/prometheus-node-exporter"
    private let process: Process
    /// The scrape URL.
    public let url: String

    /// Starts node_exporter with only the textfile collector, reading `directory`.
    public init(directory: String) throws {
        let port = try Self.freePort()
        url = "http://127.0.0.1:\(port)/metrics"
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = ["--web.listen-address=127.0.0.1:\(port)", "--collector.disable-defaults",
                             "--collector.textfile", "--collector.textfile.directory=\(directory)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
    }

    /// One scrape as `name{labels}` → value, retried until node_exporter answers (10 s).
    public func scrape() throws -> [String: Double] {
        let fetch = "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())"
        var last = ""
        for _ in 0..<50 {
            let r = try Executable.runTool("/usr/bin/python3", ["-c", fetch, url])
            if r.status == 0 { return Self.parse(r.stdout) }
            last = r.stderr
            Thread.sleep(forTimeInterval: 0.2)
        }
        throw ScrapeError(description: "node_exporter at \(url) did not answer: \(last)")
    }

    public struct ScrapeError: Error, CustomStringConvertible { public var description: String }

    /// Sample lines of the text format (`name{labels} value`), comments skipped.
    public static func parse(_ text: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p in
                bind(fd, p, length) == 0 && getsockname(fd, p, &length) == 0
            }
        }
        guard bound else { throw ScrapeError(description: "no free loopback port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
