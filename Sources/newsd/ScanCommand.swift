import ArgumentParser
import Foundation
import SyncCore

/// `newsd scan`: one pass over the tree, then exit.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan the tree once, bring the catalogue up to date, and print a summary."
    )

    @OptionGroup var tree: TreeOptions

    @Flag(name: .long, help: "Print the summary as one JSON object.")
    var json = false

    func run() throws {
        let summary: ScanSummary
        do {
            let settings = try tree.settings()
            let database = try AppDatabase.open(stateDirectory: settings.stateDirectory)
            summary = try Scanner(settings: settings, database: database).run()
        } catch {
            throw fail("\(error)")
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(summary)
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(
                """
                \(summary.root): \(summary.files) files (\(summary.errors) in error), \(summary.skipped) skipped, \
                \(summary.contents) distinct contents, \(summary.duplicateGroups) duplicate groups
                read \(summary.read) files, \(summary.changes) changes (last seq \(summary.lastSeq)) \
                in \(String(format: "%.3f", summary.seconds)) s
                """)
        }
    }
}
