import Foundation

/// Runs the product's real executables (built by `swift build` before `swift test`).
public enum Executable {
    /// Where `ingestd` and `ingestctl` live: `$INGEST_BIN_DIR`, else `.build/debug`.
    public static var binDirectory: String {
        ProcessInfo.processInfo.environment["INGEST_BIN_DIR"] ?? TestPaths.packageRoot + "/.build/debug"
    }

    /// The path of a product executable.
    public static func path(_ name: String) -> String { binDirectory + "/" + name }

    /// The outcome of a finished process.
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// Whether the process was killed for running past its timeout.
        public var timedOut = false
    }

    /// Starts `name` with `arguments`; the caller waits or signals.
    public static func start(_ name: String, _ arguments: [String]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path(name))
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    /// Starts `name` with its standard error appended to the file `log` (so a test can poll
    /// for what it said while it runs); the caller waits or signals.
    public static func start(_ name: String, _ arguments: [String], stderrTo log: String) throws -> Process {
        FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path(name))
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try process.run()
        return process
    }

    /// Runs `name` to completion.
    public static func run(_ name: String, _ arguments: [String]) throws -> Result {
        try runTool(path(name), arguments)
    }

    /// Runs any program (by absolute path) to completion, or until `timeout` seconds have passed
    /// (then it is killed and `timedOut` is set). Both pipes are drained at once, so a child that
    /// fills stderr before it closes stdout cannot deadlock the test.
    public static func runTool(_ executable: String, _ arguments: [String], timeout: Double = 600,
                               input: [UInt8]? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = input.map { _ in Pipe() }
        if let stdin { process.standardInput = stdin }
        try process.run()
        if let stdin, let input {
            stdin.fileHandleForWriting.write(Data(input))
            try? stdin.fileHandleForWriting.close()
        }
        let collected = Collected()
        let group = DispatchGroup()
        for (pipe, isOut) in [(out, true), (err, false)] {
            group.enter()
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                collected.set(data, stdout: isOut)
                group.leave()
            }
        }
        var timedOut = false
        if group.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            process.terminate()
            kill(process.processIdentifier, SIGKILL)
            group.wait()
        }
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: collected.stdout, as: UTF8.self),
                      stderr: String(decoding: collected.stderr, as: UTF8.self), timedOut: timedOut)
    }

    /// Runs `name` to completion or until `timeout` seconds (killed then, `timedOut` set).
    public static func run(_ name: String, _ arguments: [String], timeout: Double) throws -> Result {
        try runTool(path(name), arguments, timeout: timeout)
    }

    private final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var out = Data(), err = Data()
        func set(_ data: Data, stdout: Bool) {
            lock.lock()
            if stdout { out = data } else { err = data }
            lock.unlock()
        }
        var stdout: Data { lock.lock(); defer { lock.unlock() }; return out }
        var stderr: Data { lock.lock(); defer { lock.unlock() }; return err }
    }
}
