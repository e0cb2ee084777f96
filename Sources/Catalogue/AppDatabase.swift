import Foundation
import GRDB
import Synchronization

/// The catalogue: one SQLite file in WAL mode, opened through a GRDB `DatabasePool` so that
/// readers (the control socket, tests) run beside the single writer.
///
/// All SQL in newsd lives in this folder. Opening migrates an older catalogue forward and
/// refuses one written by a newer newsd.
public final class AppDatabase: Sendable {
    /// The file name of the catalogue inside the state directory.
    public static let fileName = "catalog.sqlite"

    let writer: DatabasePool
    /// The near-duplicate candidate index, built (or opened) from the catalogue on first use.
    let bands: BandIndexCache
    /// The lines judged corpus chrome (`ChromeEvidence`), for the analysis workers.
    public let knownChrome = ChromeVerdicts()
    /// The catalogue's epoch: a random id made when it was created. A change cursor is only
    /// meaningful within one epoch.
    public let epoch: String
    /// Where the catalogue lives.
    public let path: String
    /// Who starts the WAL over once it is past its limit (the init's `walLimit`, also the size
    /// SQLite cuts the file back to then), and when.
    let walBackfill: WALBackfill
    /// The default `walLimit`: 64 MiB.
    public static let defaultWALLimit = 64 << 20
    /// The default memory budget of the near-duplicate candidate index: 6 MiB, about 18,700
    /// articles' entries (42 keys of 8 bytes each); the 15,763-article corpus fits. A larger
    /// catalogue keeps the index in a file beside it.
    public static let defaultCandidateMemory = 6 << 20

    /// Opens (creating or migrating as needed) the catalogue at `path`.
    /// `candidateMemory`: bytes the near-duplicate candidate index may take in memory before it
    /// moves to a file beside the catalogue (`<path>-bands`).
    /// `walLimit`: the WAL size past which the writer starts it over after a commit
    /// (`restartWALIfLarge`).
    /// `upgrading`: called with the migrations about to run when an existing catalogue is from
    /// an older newsd (never for a new one), before the first of them: an upgrade rewrites
    /// tables and can take seconds on a large catalogue, which the caller should say.
    public init(
        path: String, readOnly: Bool = false, candidateMemory: Int = AppDatabase.defaultCandidateMemory,
        walLimit: Int = AppDatabase.defaultWALLimit, upgrading: ([String]) -> Void = { _ in }
    ) throws {
        bands = BandIndexCache(filePath: path + BandIndexCache.fileSuffix, memoryLimit: candidateMemory / 8)
        walBackfill = WALBackfill(limit: walLimit)
        var config = Configuration()
        config.readonly = readOnly
        config.label = "newsd.catalog"
        config.busyMode = .timeout(10)
        config.foreignKeysEnabled = true
        config.prepareDatabase { db in
            // WAL + NORMAL: a commit survives a crash of the process (kill -9); only a power
            // loss can take back the last transactions, and never corrupts the file.
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // 2 MiB of page cache (SQLite's default) for the writer. 8 MiB would keep the
                // indexes a cold ingest touches at random in memory, but the pages it misses come
                // from the OS page cache: a cold daemon start on the corpus is as fast with 2 MiB
                // (A/B, same minutes) and peaks 6-8 MiB lower.
                try db.execute(sql: "PRAGMA cache_size = -2048")
                // Statement journals and sorts stay in memory: on disk they are temp files in
                // /var/tmp, created and written ~200,000 times in a cold scan of the corpus, most
                // of its write time.
                try db.execute(sql: "PRAGMA temp_store = MEMORY")
                // The WAL file is cut back to this size when it starts over, and kept at it
                // otherwise (see `restartWALIfLarge`). Left at the size it reached instead (up
                // to four times this), new articles' commits were no faster, even on a
                // filesystem mounted with `discard` (docs/PERFORMANCE.md, merge steps).
                try db.execute(sql: "PRAGMA journal_size_limit = \(walLimit)")
            }
        }
        let opened: (pool: DatabasePool, epoch: String, chrome: Set<Int64>)
        do {
            opened = try Self.openPool(
                path: path, configuration: config, readOnly: readOnly, upgrading: upgrading)
        } catch {
            // SQLite's verdict on the file itself is worded apart from every other failure: the
            // remedy (rebuild from the tree) fits only a damaged catalogue.
            if let reason = CatalogDamage.reason(error) {
                throw CatalogError.damaged(path: path, reason: reason)
            }
            throw error
        }
        self.writer = opened.pool
        if !readOnly {
            writer.add(transactionObserver: WALWriteCounter(walBackfill), extent: .databaseLifetime)
        }
        self.epoch = opened.epoch
        self.path = path
        knownChrome.replace(with: Set(opened.chrome.map { UInt64(bitPattern: $0) }))
    }

    /// Opens the pool, refuses a catalogue from a newer newsd, migrates an older one forward and
    /// reads the epoch and the chrome verdicts: everything of `init` that reads the file, so
    /// that SQLite finding it damaged anywhere on the way is caught in one place.
    private static func openPool(
        path: String, configuration: Configuration, readOnly: Bool, upgrading: ([String]) -> Void
    ) throws -> (pool: DatabasePool, epoch: String, chrome: Set<Int64>) {
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch let error as DatabaseError where CatalogDamage.reason(error) == nil {
            throw CatalogError.cannotOpen(path: path, message: error.message ?? "\(error)")
        }
        let migrator = CatalogMigrations.migrator
        // What this file has applied says both whether a newer newsd wrote it (a migration
        // this one does not know) and what an upgrade has left to run.
        let applied = try pool.read { db in try migrator.appliedIdentifiers(db) }
        let unknown = applied.subtracting(migrator.migrations)
        if !unknown.isEmpty {
            throw CatalogError.newerSchema(path: path, unknownMigrations: unknown.sorted())
        }
        if !readOnly {
            let pending = migrator.migrations.filter { !applied.contains($0) }
            if !applied.isEmpty && !pending.isEmpty { upgrading(pending) }
            try migrator.migrate(pool)
        }
        let epoch = try pool.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'epoch'")
        }
        guard let epoch else {
            throw CatalogError.cannotOpen(path: path, message: "the catalogue has no epoch")
        }
        // A read-only open of a catalogue from before v7 has no verdicts to load; a writable
        // one has been migrated, and failing to read them is an error like any other.
        let load = { try pool.read { db in try Int64.fetchSet(db, sql: "SELECT key FROM chrome_lines") } }
        let chrome = readOnly ? (try? load()) ?? [] : try load()
        return (pool, epoch, chrome)
    }

    /// Opens the catalogue inside a state directory, creating the directory (mode 0750).
    public static func open(
        stateDirectory: String, readOnly: Bool = false,
        candidateMemory: Int = AppDatabase.defaultCandidateMemory, upgrading: ([String]) -> Void = { _ in }
    ) throws -> AppDatabase {
        if !readOnly {
            do {
                try FileManager.default.createDirectory(
                    atPath: stateDirectory, withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o750])
            } catch {
                throw CatalogError.cannotOpen(
                    path: stateDirectory,
                    message: "cannot create the state directory: \(error.localizedDescription)")
            }
        }
        return try AppDatabase(
            path: stateDirectory + "/" + fileName, readOnly: readOnly, candidateMemory: candidateMemory,
            upgrading: upgrading)
    }

    /// Runs `PRAGMA integrity_check` and returns its verdict (`ok` when sound).
    public func integrityCheck() throws -> String {
        try writer.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ")
        }
    }

    /// Builds the near-duplicate candidate index now (about 0.1 s and 5 MiB for the 15,763-article
    /// corpus), so that the first new article after a start does not wait for it.
    public func loadCandidateIndex() throws {
        try writer.writeWithoutTransaction { db in try DuplicateIndex.loadBands(db, into: bands) }
    }

    /// Marks a candidate index file clean for the catalogue as it is now, so the next start
    /// opens it instead of rebuilding it. Call it on the way out, after the last write.
    public func saveCandidateIndex() throws {
        try writer.writeWithoutTransaction { db in try DuplicateIndex.saveBands(db, in: bands) }
    }

    /// Where the candidate index is: "memory", "file", or "unloaded" (not needed yet).
    public var candidateIndexForm: String {
        bands.index.withLock { index in
            switch index {
            case .none: "unloaded"
            case .memory: "memory"
            case .file: "file"
            }
        }
    }

    /// Turns the writer's automatic WAL checkpoints on (SQLite's default, 1,000 pages) or off
    /// (`WALCheckpointer` does them on its own connection).
    func setAutomaticCheckpoints(_ on: Bool) throws {
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(on ? 1000 : 0)")
        }
    }

    /// Copies the WAL into the main file so it stays small (a WAL no checkpoint copies back
    /// grows without bound).
    public func checkpoint() throws {
        _ = try writer.writeWithoutTransaction { db in
            try db.checkpoint(.passive)
        }
    }
}

/// The shared `BandIndex`: nil until a write transaction first needs it (or after it outgrew
/// its form). Only the writer touches it, one transaction at a time; the lock makes that safe
/// to share.
final class BandIndexCache: Sendable {
    let index = Mutex<BandIndex?>(nil)
    /// Where the index lives when it is a file.
    let filePath: String
    /// Entries the index may hold in memory; past them it moves to the file.
    let memoryLimit: Int
    /// The file beside the catalogue: `catalog.sqlite-bands`, like SQLite's `-wal` and `-shm`.
    static let fileSuffix = "-bands"

    init(filePath: String, memoryLimit: Int) {
        self.filePath = filePath
        self.memoryLimit = memoryLimit
    }
}

/// Errors the catalogue reports to the user.
public enum CatalogError: Error, CustomStringConvertible, Sendable {
    case cannotOpen(path: String, message: String)
    case newerSchema(path: String, unknownMigrations: [String])
    /// SQLite found the file damaged (not a database, malformed pages, or a failed check):
    /// `reason` is its own wording.
    case damaged(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let message):
            "cannot open the catalogue at \(path): \(message)"
        case .newerSchema(let path, let unknown):
            "the catalogue at \(path) was written by a newer newsd (it has schema migrations this newsd "
                + "does not know: \(unknown.joined(separator: ", "))); run the newer newsd, or point "
                + "--state at another directory to build a fresh catalogue"
        case .damaged(let path, let reason):
            "the catalogue at \(path) is damaged (\(reason))"
        }
    }
}
