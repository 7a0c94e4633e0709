import ArgumentParser
import Ingest
import Storage
import Traces
import IngestDaemon

/// `ingestd`: the heart-rate ingest daemon.
@main
struct IngestD: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingestd",
        abstract: "Reads BLE heart-rate straps (or replays a recording), runs the physiology engine, records sessions.",
        version: ProductVersion.string,
    )

    /// Usage errors exit 2 (ArgumentParser's default is 64), as DESIGN.md's exit codes say.
    static func main() { mainWithUsageExitTwo() }

    @Option(name: .long, help: "Configuration file (default /etc/ingestd/ingestd.toml, optional).")
    var config: String?

    @Option(name: .long, help: "Replay a recording (CSV, FIT, native raw log or btsnoop capture) instead of live straps.")
    var replay: String?

    @Option(name: .long, help: "With --replay: the strap (AA:BB:CC:DD:EE:FF) a CSV or FIT recording came from; raw logs and btsnoop captures name their own.")
    var device: String?

    @Option(name: .long, help: "Replay speed: a factor of real time, or `max`.")
    var speed: String = "max"

    @Option(name: .long, help: "State directory (overrides the config; systemd sets $STATE_DIRECTORY).")
    var stateDirectory: String?

    @Option(name: .long, help: "Control socket for ingestctl (default $RUNTIME_DIRECTORY/control under systemd, else none).")
    var controlSocket: String?

    @Flag(name: .long, help: "Check the configuration file and exit: 0 when it is valid, 2 with the error (file, line, key) when not.")
    var checkConfig = false

    @Flag(name: .long, help: "After the replay ends, keep serving the control socket until SIGTERM.")
    var keepRunning = false

    @Option(name: .long, help: "Direct backend, for tests and demos: strap AA:BB:… is the ATT server on DIR/AABB….sock (AF_UNIX SOCK_SEQPACKET), not a radio.")
    var simulatedStraps: String?

    func validate() throws {
        if ReplaySource.Speed(speed) == nil {
            throw ValidationError("--speed must be a positive number or `max`, not `\(speed)`")
        }
        if simulatedStraps != nil && replay != nil {
            throw ValidationError("--simulated-straps is for the direct live backend, not --replay")
        }
        if replay == nil && speed != "max" {
            throw ValidationError("--speed only applies with --replay")
        }
        if let device {
            guard replay != nil else { throw ValidationError("--device only applies with --replay") }
            guard DeviceAddress(device) != nil else { throw ValidationError("--device must be an address like A0:9E:1A:00:00:01, not `\(device)`") }
        }
    }

    func run() throws {
        var configuration: IngestConfiguration
        do {
            configuration = try ConfigLoader.load(path: config)
        } catch {
            if checkConfig {
                StandardError.write("ingestd: config error: \(error)\n")
            } else {
                EventLogger().log("config error: \(error)", kind: .configError, priority: .error)
            }
            throw ExitCode(2)  // a bad config is a usage error (DESIGN.md exit codes)
        }
        if checkConfig {
            print("ingestd: configuration OK (\(config ?? IngestConfiguration.defaultPath + ", or the built-in defaults when it is absent"))")
            return
        }
        if let dir = stateDirectory ?? Environment.stateDirectory { configuration.stateDirectory = dir }
        var socket = controlSocket ?? Environment.runtimeDirectory.map { $0 + "/control" }
        if let path = socket, let slash = path.lastIndex(of: "/") {
            do {
                try AtomicFile.makeDirectories(String(path[..<slash]))
            } catch {
                EventLogger().log("control socket disabled: \(error)", kind: .storageError, priority: .warning)
                socket = nil
            }
        }
        let source: any DaemonSource
        if let replay, let pacing = ReplaySource.Speed(speed) {
            source = ReplaySource(path: replay, speed: pacing, keepRunning: keepRunning,
                                  device: device.flatMap(DeviceAddress.init) ?? .replay)
        } else if configuration.bluetooth.backend == .direct || simulatedStraps != nil {
            source = DirectATTSource(simulatorDirectory: simulatedStraps)
        } else {
            source = BlueZSource()
        }
        let code = DaemonShell(configuration: configuration, configurationPath: config, controlSocket: socket).run(source)
        if code != 0 { throw ExitCode(code) }
    }
}
