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

    /// Runs `name` to completion.
    public static func run(_ name: String, _ arguments: [String]) throws -> Result {
        try runTool(path(name), arguments)
    }

    /// Runs any program (by absolute path) to completion.
    public static func runTool(_ executable: String, _ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self))
    }
}
