import ArgumentParser
import SyncCore

/// `newsctl`: the command line that talks to a running newsd over its control socket.
@main
struct NewsctlCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "newsctl",
        abstract: "Talk to a running newsd over its control socket.",
        discussion: "The control socket is not served yet: use `newsd scan --json` for a summary.",
        version: NewsdVersion.string
    )
}
