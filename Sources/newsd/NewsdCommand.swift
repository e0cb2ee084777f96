import ArgumentParser
import SyncCore

/// `newsd`: keeps a live SQLite catalogue of a tree of news articles.
@main
struct NewsdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "newsd",
        abstract: "Keep a live SQLite catalogue of a tree of news articles.",
        discussion: """
            With no subcommand, newsd scans ./seeds into ./.newsd. See README.md.
            """,
        version: NewsdVersion.string,
        subcommands: [ScanCommand.self],
        defaultSubcommand: ScanCommand.self
    )
}
