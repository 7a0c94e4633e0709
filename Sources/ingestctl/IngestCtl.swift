import ArgumentParser
import IngestDaemon

/// `ingestctl`: talks to ingestd and analyses recordings.
@main
struct IngestCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingestctl",
        abstract: "Shows what ingestd is doing and analyses heart-rate recordings.",
        discussion: "Exit codes: 0 ok, 1 failure or bad data, 2 usage, 3 daemon not running.",
        version: ProductVersion.string,
        subcommands: [StatusCommand.self, SessionsCommand.self, SessionCommand.self, AnalyzeCommand.self, HRVCommand.self, ECGCommand.self, WeekCommand.self, ExportCommand.self, DevicesCommand.self, FleetCommand.self, AthletesCommand.self, AssignCommand.self, ClassifierThresholdsCommand.self, PlotCommand.self, BoardCommand.self]
    )

    /// Usage errors exit 2 (ArgumentParser's default is 64).
    static func main() { mainWithUsageExitTwo() }
}

/// Options every subcommand that reads the daemon's files shares.
struct StateOptions: ParsableArguments {
    @Option(name: .long, help: "The daemon's state directory.")
    var stateDirectory: String = "/var/lib/ingestd"

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    @Option(name: .long, help: "The daemon's control socket.")
    var socket: String = ControlClient.defaultPath
}
