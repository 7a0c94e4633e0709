import ArgumentParser
import Glibc

extension ParsableCommand {
    /// Runs the command with DESIGN.md's exit codes: usage errors exit 2 (ArgumentParser's
    /// default is 64), everything else as ArgumentParser decides (help 0, `ExitCode` as thrown).
    public static func mainWithUsageExitTwo() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                StandardError.write(fullMessage(for: error) + "\n")
                Glibc.exit(2)
            }
            exit(withError: error)
        }
    }
}
