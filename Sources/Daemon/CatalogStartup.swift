import Catalogue
import Foundation
import Logging
import NewsCore

/// How `newsd run` and `newsd scan` open the catalogue: checked first when the previous holder
/// of the state directory did not stop cleanly, and rebuilt when it is damaged and the user
/// asked for that (`--rebuild-damaged-catalogue`).
///
/// A damaged catalogue is never rebuilt unasked, though everything in it but the change-log
/// history comes back from the tree: losing the history sends every consumer back to a full
/// resync (`fresh_instance`), and the damage may be worth a look first. Without the flag a
/// damaged catalogue throws `CatalogError.damaged` for the command to explain.
public struct CatalogStartup: Sendable {
    /// The state directory holding `catalog.sqlite`.
    public var stateDirectory: String
    /// The candidate index's memory budget (`AppDatabase.open`).
    public var candidateMemory: Int
    /// The pid the previous holder left in the lock file (`InstanceLock.uncleanStopPID`): when
    /// set, `PRAGMA quick_check` runs before anything else reads the catalogue.
    public var uncleanStopPID: Int32?
    /// Move a damaged catalogue aside and start a fresh one in its place.
    public var rebuildIfDamaged: Bool

    public init(stateDirectory: String, candidateMemory: Int, uncleanStopPID: Int32?, rebuildIfDamaged: Bool)
    {
        self.stateDirectory = stateDirectory
        self.candidateMemory = candidateMemory
        self.uncleanStopPID = uncleanStopPID
        self.rebuildIfDamaged = rebuildIfDamaged
    }

    /// The catalogue's path.
    public var path: String { stateDirectory + "/" + AppDatabase.fileName }

    /// Opens the catalogue, checking or rebuilding it as the fields say.
    public func open(logger: Logger) throws -> AppDatabase {
        do {
            try checkAfterUncleanStop(logger: logger)
            let database = try openUpgrading(logger: logger)
            if rebuildIfDamaged {
                logger.info(
                    "the catalogue is not damaged: --rebuild-damaged-catalogue has nothing to do",
                    metadata: ["catalogue": "\(path)"])
            }
            return database
        } catch CatalogError.damaged(let path, let reason) where rebuildIfDamaged {
            let moves = try DamagedCatalogFiles.moveAside(catalogue: path, at: Date())
            let database = try openUpgrading(logger: logger)
            logger.error(
                """
                the catalogue was damaged: moved it aside and started a fresh one, rebuilt from the tree; \
                the change-log history is lost and consumers will resync from scratch (fresh_instance)
                """,
                metadata: [
                    "catalogue": "\(path)", "reason": "\(reason)",
                    "moved": "\(moves.map(\.description).joined(separator: ", "))",
                    "epoch": "\(database.epoch)",
                ])
            return database
        }
    }

    /// Opens the catalogue, logging before and after an upgrade of an older one's schema: the
    /// upgrade runs before the daemon can answer or watch, rewrites tables, and on a large
    /// catalogue takes seconds (v15-evidence-by-cluster: about 2 s at 256,000 articles) that
    /// would otherwise pass in silence.
    private func openUpgrading(logger: Logger) throws -> AppDatabase {
        var started: ContinuousClock.Instant?
        let database = try AppDatabase.open(stateDirectory: stateDirectory, candidateMemory: candidateMemory)
        {
            pending in
            logger.info(
                "the catalogue is from an older newsd: upgrading its schema first (a large catalogue takes a while)",
                metadata: ["catalogue": "\(path)", "migrations": "\(pending.joined(separator: ", "))"])
            started = .now
        }
        if let started {
            let seconds = (ContinuousClock.now - started).inSeconds
            logger.info(
                "upgraded the catalogue's schema",
                metadata: ["catalogue": "\(path)", "seconds": "\(String(format: "%.3f", seconds))"])
        }
        return database
    }

    /// After an unclean stop, `PRAGMA quick_check` (`CatalogDamage.quickCheck`): logged at info
    /// when sound; otherwise logged at error with SQLite's first findings and thrown as
    /// `CatalogError.damaged`.
    private func checkAfterUncleanStop(logger: Logger) throws {
        guard let pid = uncleanStopPID, FileManager.default.fileExists(atPath: path) else { return }
        let started = ContinuousClock.now
        let findings = try CatalogDamage.quickCheck(path: path)
        let elapsed = ContinuousClock.now - started
        let seconds = elapsed.inSeconds
        var metadata: Logger.Metadata = [
            "catalogue": "\(path)", "previous_pid": "\(pid)", "seconds": "\(String(format: "%.3f", seconds))",
        ]
        if findings == ["ok"] {
            metadata["quick_check"] = "ok"
            logger.info(
                "the previous newsd did not stop cleanly: the catalogue passed PRAGMA quick_check",
                metadata: metadata)
            return
        }
        let first = findings.prefix(3).joined(separator: "; ")
        metadata["quick_check"] = "\(findings.joined(separator: "; "))"
        logger.error(
            "the previous newsd did not stop cleanly: the catalogue failed PRAGMA quick_check",
            metadata: metadata)
        throw CatalogError.damaged(path: path, reason: "PRAGMA quick_check: \(first)")
    }
}
