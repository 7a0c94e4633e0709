import ArgumentParser
import Foundation
import Ingest
import IngestDaemon
import Traces

/// `ingestctl assign STRAP ATHLETE`.
struct AssignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "Give a strap to an athlete from its next session on (kept across restarts).",
        discussion: "The daemon must run; ATHLETE is an id of an [[athlete]] entry of its config."
    )

    @Argument(help: "The strap's address (AA:BB:CC:DD:EE:FF).")
    var strap: String

    @Argument(help: "The athlete's id.")
    var athlete: String

    @OptionGroup var options: StateOptions

    func validate() throws {
        if DeviceAddress(strap) == nil { throw ValidationError("`\(strap)` is not a strap address (AA:BB:CC:DD:EE:FF)") }
        if !Athlete.isIdentifier(athlete) { throw ValidationError("`\(athlete)` is not an athlete id (letters, digits, '-', '_', '.')") }
    }

    func run() throws {
        let data = try DaemonRequest.answer(["request": "assign", "strap": strap, "athlete": athlete], socket: options.socket)
        if options.json {
            print(String(decoding: data, as: UTF8.self))
            return
        }
        let answer = (try? JSONDecoder().decode([String: String].self, from: data)) ?? [:]
        print("strap \(answer["strap"] ?? strap) → athlete \(answer["athlete"] ?? athlete) (was \(answer["previous"] ?? "?")), \(answer["effective"] ?? "")")
    }
}
