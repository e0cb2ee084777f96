import ArgumentParser
import ControlWire
import SyncCore

/// `newsd`: keeps a live SQLite catalogue of a tree of news articles.
@main
struct NewsdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "newsd",
        abstract: "Keep a live SQLite catalogue of a tree of news articles.",
        discussion: """
            With no subcommand, newsd runs the daemon: it watches ./seeds and keeps its catalogue in
            ./.newsd (or $STATE_DIRECTORY under systemd); `newsd run --help` lists its options.
            """,
        version: NewsdVersion.string,
        subcommands: [RunCommand.self, ScanCommand.self],
        defaultSubcommand: RunCommand.self
    )
}
