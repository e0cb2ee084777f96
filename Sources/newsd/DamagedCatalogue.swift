import ArgumentParser
import Foundation
import Glibc

/// What newsd says when its catalogue is damaged: what happened, what is lost by rebuilding,
/// and the exact command that rebuilds it.
enum DamagedCatalogue {
    /// EX_DATAERR from sysexits.h: the input, the catalogue, is bad. A status of its own, apart
    /// from 1 for every other failure, so that systemd's `RestartPreventExitStatus=` can stop a
    /// restart loop that cannot succeed, and scripts can tell this case from the others.
    static let exitStatus: Int32 = 65

    /// Prints the explanation on stderr and returns the exit code to throw.
    /// `subcommand`: `run` or `scan`, the command to rebuild with. `stateFromEnvironment`: the
    /// state directory when it came from `$STATE_DIRECTORY` rather than `--state`, so the
    /// printed command names it (a shell does not have the variable).
    static func fail(
        path: String, reason: String, subcommand: String, stateFromEnvironment: String?
    ) -> ExitCode {
        let command = rebuildCommand(
            CommandLine.arguments, subcommand: subcommand, stateFromEnvironment: stateFromEnvironment)
        var lines = [
            "newsd: error: the catalogue at \(path) is damaged (\(reason)).",
            "It is derived from the tree and can be rebuilt: only the change-log history is lost "
                + "(consumers will resync from scratch: their next `changes` answers fresh_instance).",
            "To rebuild it, run:",
            "    \(command)",
            "The damaged file will be kept beside it, as "
                + "\((path as NSString).lastPathComponent).damaged-<UTC time> (with its -wal and -shm).",
        ]
        if let invocation = ProcessInfo.processInfo.environment["INVOCATION_ID"], !invocation.isEmpty {
            lines.append(
                "Under systemd, add --rebuild-damaged-catalogue to ExecStart= for one start "
                    + "(`systemctl edit --runtime newsd`, then `systemctl restart newsd`).")
        }
        var text = lines.joined(separator: "\n") + "\n"
        text.withUTF8 { buffer in _ = write(2, buffer.baseAddress, buffer.count) }
        return ExitCode(exitStatus)
    }

    /// The user's own command line with the subcommand made explicit and
    /// `--rebuild-damaged-catalogue` after it, quoted for a POSIX shell.
    static func rebuildCommand(_ arguments: [String], subcommand: String, stateFromEnvironment: String?)
        -> String
    {
        var options = Array(arguments.dropFirst())
        if options.first == "run" || options.first == "scan" { options.removeFirst() }
        if let stateFromEnvironment { options += ["--state", stateFromEnvironment] }
        let words = [arguments.first ?? "newsd", subcommand, "--rebuild-damaged-catalogue"] + options
        return words.map(shellQuoted).joined(separator: " ")
    }

    /// `word` as a shell reads it back: bare when it has only safe characters, else in single
    /// quotes (a quote inside written `'\''`).
    static func shellQuoted(_ word: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,+@%")
        if !word.isEmpty, word.allSatisfy({ safe.contains($0) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
