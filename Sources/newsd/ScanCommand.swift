import ArgumentParser
import Catalogue
import Daemon
import Foundation
import Logging
import NewsCore
import SyncCore

/// `newsd scan`: one pass over the tree, then exit.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan the tree once, bring the catalogue up to date, and print a summary.",
        discussion: """
            On a terminal, a line on stderr shows the progress: files walked, then files read, \
            the rate and the time left; it is erased before the summary.

            Exit status: 0 on success; 1 on a failure; 65 when the catalogue is damaged (the message \
            says how to rebuild it); 64 for bad options.
            """
    )

    @OptionGroup var tree: TreeOptions
    @OptionGroup var rebuild: RebuildOptions

    @Flag(name: .long, help: "Print the summary as one JSON object (and no progress line).")
    var json = false

    @Flag(
        name: .long,
        help: ArgumentHelp(
            "Catalogue bytes, exact duplicates and changes only; leave text analysis for later.",
            discussion: """
                The scan runs at hashing speed. The next `newsd run` on this state directory \
                analyses the waiting contents in the background (status shows how many are \
                left), and so does the next `newsd scan` without this flag.
                """))
    var deferAnalysis = false

    @Flag(
        name: .long,
        help: "Take the root as it is even if it looks unmounted or emptied: what is not there is deleted.")
    var acceptRoot = false

    func run() throws {
        MallocTuning.apply()
        // What the catalogue's start-up has to say (a check, a rebuild) goes to stderr, as the
        // daemon's does; stdout keeps only the summary.
        LoggingSystem.bootstrap { label in StderrLogHandler(label: label, level: .info) }
        let logger = Logger(label: "newsd")
        let summary: ScanSummary
        do {
            let settings = try tree.settings()
            try FileManager.default.createDirectory(
                atPath: settings.stateDirectory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o750])
            // The catalogue has one writer: a daemon on this state directory already keeps it
            // current (and holds in-memory state a second writer would leave stale).
            let lock: InstanceLock
            do {
                lock = try InstanceLock.acquire(stateDirectory: settings.stateDirectory)
            } catch let error as InstanceLockError where error.kind == .alreadyRunning {
                let who = error.holderPID.map { "a newsd daemon (pid \($0))" } ?? "a newsd daemon"
                throw ValidationError(
                    "\(who) is running on the state directory \(settings.stateDirectory) and keeps its "
                        + "catalogue current; ask it to rescan with `newsctl rescan`, or stop it first")
            }
            // Every way out from here is a clean stop: a scan that fails has rolled its
            // transaction back. Only a kill or a crash leaves the pid for the next start.
            defer { lock.recordCleanStop() }
            let database = try CatalogStartup(
                stateDirectory: settings.stateDirectory, candidateMemory: tree.candidateMemoryBytes,
                uncleanStopPID: lock.uncleanStopPID, rebuildIfDamaged: rebuild.rebuildDamagedCatalogue
            ).open(logger: logger)
            var scanner = Scanner(settings: settings, database: database)
            scanner.deferAnalysis = deferAnalysis
            scanner.acceptingRoot = acceptRoot
            // Only for a person watching: never with --json, nor when stderr is a file or a pipe.
            let progressLine = !json && isatty(STDERR_FILENO) == 1 ? ScanProgressLine() : nil
            // Erased before anything else is printed, the summary or an error.
            defer { progressLine?.finish() }
            scanner.counters = progressLine?.counters
            summary = try scanner.run()
        } catch CatalogError.damaged(let path, let reason) {
            throw DamagedCatalogue.fail(
                path: path, reason: reason, subcommand: "scan",
                stateFromEnvironment: tree.stateFromEnvironment)
        } catch let error as RootUnavailable {
            switch error.cause {
            case .unmounted, .emptied:
                throw fail(
                    "\(error); the catalogue is kept as it was. If the archive really was emptied or moved, "
                        + "run the scan again with --accept-root")
            case .missing, .notADirectory:
                throw fail("\(error)")
            }
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
            if summary.analysisPending > 0 {
                print(
                    "\(summary.analysisPending) contents wait for text analysis "
                        + "(the next `newsd run` or `newsd scan` does it)")
            }
        }
    }
}
