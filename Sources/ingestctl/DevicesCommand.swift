import ArgumentParser
import Foundation
import Ingest
import IngestDaemon

/// `ingestctl devices`: the straps the running daemon sees.
struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "devices", abstract: "The straps the running daemon reads.")

    @OptionGroup var options: StateOptions

    func run() throws {
        let data = try DaemonRequest.answer(["request": "devices"], socket: options.socket)
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
