import ArgumentParser
import Catalogue
import Foundation
import NewsCore
import SyncCore

/// The options every newsd subcommand shares: what to watch and where to keep the catalogue.
struct TreeOptions: ParsableArguments {
    @Option(name: .long, help: "The tree of articles to catalogue.")
    var root: String = "seeds"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Directory for the catalogue (default: $STATE_DIRECTORY under systemd, else ./.newsd).",
            valueName: "dir"))
    var state: String?

    @Option(
        name: .long, help: ArgumentHelp("A file of glob patterns to ignore, one per line.", valueName: "file")
    )
    var ignoreFile: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Files larger than this are hashed but not analysed (bytes, or with K, M or G).",
            valueName: "size"))
    var maxSize: String = "32M"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Memory for the near-duplicate candidate index (bytes, or with K, M or G); a larger index "
                + "is kept in a file beside the catalogue.",
            valueName: "size"))
    var candidateMemory: String = "6M"

    func validate() throws {
        guard ByteSize.parse(maxSize) != nil else {
            throw ValidationError(
                "--max-size must be a number of bytes, optionally with K, M or G (got '\(maxSize)')")
        }
        guard ByteSize.parse(candidateMemory) != nil else {
            throw ValidationError(
                "--candidate-memory must be a number of bytes, optionally with K, M or G (got '\(candidateMemory)')"
            )
        }
    }

    /// The candidate index's memory budget in bytes.
    var candidateMemoryBytes: Int {
        Int(clamping: ByteSize.parse(candidateMemory) ?? Int64(AppDatabase.defaultCandidateMemory))
    }

    /// The state directory: the option, else systemd's `$STATE_DIRECTORY`, else `./.newsd`.
    var stateDirectory: String {
        if let state { return state }
        if let fromSystemd = ProcessInfo.processInfo.environment["STATE_DIRECTORY"], !fromSystemd.isEmpty {
            // systemd may pass several, separated by colons; the first is ours.
            return String(fromSystemd.split(separator: ":").first ?? Substring(fromSystemd))
        }
        return ".newsd"
    }

    /// The state directory when it comes from systemd's `$STATE_DIRECTORY`, not from `--state`.
    var stateFromEnvironment: String? {
        state == nil && stateDirectory != ".newsd" ? stateDirectory : nil
    }

    /// Resolves the options into settings, reading the ignore file.
    func settings() throws -> Settings {
        let ignore = try ignoreFile.map { try IgnoreRules.load(file: $0) } ?? IgnoreRules()
        return Settings(
            tree: Tree(root: root), stateDirectory: stateDirectory,
            sizeLimit: ByteSize.parse(maxSize) ?? Settings.defaultSizeLimit, ignore: ignore)
    }
}

/// Parses sizes such as `32M`.
enum ByteSize {
    static func parse(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [(String, Int64)] = [
            ("GIB", 1 << 30), ("MIB", 1 << 20), ("KIB", 1 << 10), ("G", 1 << 30), ("M", 1 << 20),
            ("K", 1 << 10), ("B", 1),
        ]
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            guard let value = Int64(trimmed.dropLast(suffix.count)), value >= 0 else { return nil }
            return value.multipliedReportingOverflow(by: factor).overflow ? nil : value * factor
        }
        guard let value = Int64(trimmed), value >= 0 else { return nil }
        return value
    }
}
