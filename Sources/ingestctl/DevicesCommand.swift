import ArgumentParser
import Foundation
import Ingest
import IngestDaemon

/// `ingestctl devices`: the straps the running daemon sees.
struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "devices", abstract: "The straps the running daemon reads.")

    @OptionGroup var options: StateOptions

    func run() throws {
        let data: Data
        do {
            data = try ControlClient.request(["request": "devices"], socketPath: options.socket)
        } catch ControlClient.Failure.notRunning(let why) {
            StandardError.write("ingestctl: \(why)\n")
            throw ExitCode(3)
        } catch {
            StandardError.write("ingestctl: \(error)\n")
            throw ExitCode(1)
        }
        if options.json {
            print(String(decoding: data, as: UTF8.self))
            return
        }
        guard let devices = try? JSONDecoder().decode([StatusSnapshot.Device].self, from: data) else {
            StandardError.write("ingestctl: the daemon's devices answer is not a device list\n")
            throw ExitCode(1)
        }
        if devices.isEmpty { print("no straps") }
        for d in devices { print(StatusText.strapLine(d)) }
    }
}
