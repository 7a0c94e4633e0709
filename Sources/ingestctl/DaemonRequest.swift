import ArgumentParser
import Foundation
import IngestDaemon

/// A request a command needs the running daemon for: its answer, or exit 3 when no daemon
/// runs and 1 when it refused or did not answer, each with why on standard error.
enum DaemonRequest {
    static func answer(_ request: [String: String], socket: String) throws -> Data {
        do {
            return try ControlClient.request(request, socketPath: socket)
        } catch ControlClient.Failure.notRunning(let why) {
            StandardError.write("ingestctl: \(why)\n")
            throw ExitCode(3)
        } catch {
            StandardError.write("ingestctl: \(error)\n")
            throw ExitCode(1)
        }
    }
}
