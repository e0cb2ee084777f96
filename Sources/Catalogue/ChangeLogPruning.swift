import Foundation
import GRDB

extension AppDatabase {
    /// Deletes change-log entries recorded before `cutoffNanoseconds` (wall clock), in
    /// transactions of at most `batchSize` entries, and returns how many went.
    ///
    /// The newest entry always stays, so `MAX(seq)` keeps telling the last sequence number.
    /// Each transaction records the highest pruned sequence number in `meta.pruned_through`:
    /// a cursor below it can no longer be served from the log and gets a fresh listing.
    @discardableResult
    public func pruneChanges(before cutoffNanoseconds: Int64, batchSize: Int = 10_000) async throws -> Int {
        var total = 0
        while true {
            let deleted = try await writer.write { db -> Int in
                var upTo: Int64?
                var count = 0
                try RawStatement(
                    db,
                    """
                    SELECT MAX(seq), COUNT(*) FROM (
                        SELECT seq FROM changes
                        WHERE at_ns < ? AND seq < (SELECT MAX(seq) FROM changes)
                        ORDER BY seq LIMIT ?)
                    """
                ).query([.int(cutoffNanoseconds), .int(Int64(max(1, batchSize)))]) { row in
                    upTo = row.optionalInt(0)
                    count = Int(row.int(1))
                }
                guard let upTo, count > 0 else { return 0 }
                try RawStatement(db, "DELETE FROM changes WHERE seq <= ?").run([.int(upTo)])
                let deleted = db.changesCount
                try RawStatement(
                    db,
                    """
                    INSERT INTO meta(key, value) VALUES ('pruned_through', ?)
                    ON CONFLICT(key) DO UPDATE SET value = excluded.value
                    """
                ).run([.text(String(upTo))])
                return max(deleted, count)
            }
            total += deleted
            if deleted < max(1, batchSize) { return total }
            await Task.yield()
        }
    }

    /// The highest pruned sequence number (0 when nothing has been pruned).
    public func prunedThrough() async throws -> Int64 {
        try await writer.read { db in try Self.logBounds(db).prunedThrough }
    }
}
