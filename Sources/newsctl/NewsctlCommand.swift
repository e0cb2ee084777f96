import ArgumentParser
import ControlWire
import Foundation

/// `newsctl`: the command line that talks to a running newsd over its control socket.
@main
struct NewsctlCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "newsctl",
        abstract: "Talk to a running newsd over its control socket.",
        discussion: """
            The socket is --socket, else $NEWSD_SOCKET, else ./.newsd/newsd.sock, else /run/newsd/newsd.sock \
            (else /run/newsd.sock, where systemd's newsd.socket puts it). Every subcommand takes --json for \
            scripts (see docs/PROTOCOL.md for the keys).

            Exit status: 0 success; 1 the daemon answered with an error; 2 bad usage; 3 the daemon cannot \
            be reached; 4 the daemon speaks another protocol version.
            """,
        version: NewsdVersion.string,
        subcommands: [
            StatusCommand.self, ListCommand.self, ShowCommand.self, DupsCommand.self, ChangesCommand.self,
            FollowCommand.self, SyncCommand.self, RescanCommand.self, PauseCommand.self, ResumeCommand.self,
            ErrorsCommand.self, ClustersCommand.self, SearchCommand.self,
        ]
    )

    /// Runs the command with newsctl's exit statuses: 2 for usage errors (not 64), and the
    /// statuses of `NewsctlFailure` for failures talking to the daemon.
    static func main() {
        do {
            var command = try parseAsRoot(hoistingGlobalOptions(Array(CommandLine.arguments.dropFirst())))
            try command.run()
            Output.standard.flush()
        } catch let failure as NewsctlFailure {
            Output.standard.flush()
            printError("newsctl: error: \(failure)")
            Foundation.exit(failure.exitCode)
        } catch {
            Output.standard.flush()
            if exitCode(for: error) == .validationFailure {
                printError(fullMessage(for: error))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }

    /// `newsctl --socket S --json status` means `newsctl status --socket S --json`: the global
    /// options may come before the subcommand too.
    static func hoistingGlobalOptions(_ arguments: [String]) -> [String] {
        var globals: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--json" {
                globals.append(argument)
            } else if argument == "--socket", index + 1 < arguments.count {
                globals += [argument, arguments[index + 1]]
                index += 1
            } else if argument.hasPrefix("--socket=") {
                globals.append(argument)
            } else {
                break
            }
            index += 1
        }
        guard !globals.isEmpty, index < arguments.count else { return arguments }
        return [arguments[index]] + globals + arguments[(index + 1)...]
    }
}
