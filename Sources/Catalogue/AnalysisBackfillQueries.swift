import Dedup
import Foundation
import GRDB
import NewsCore

/// A content that still needs analysing, with one path that holds it.
public struct PendingAnalysis: Sendable, Equatable {
    public var contentID: Int64
    public var sha256: [UInt8]
    public var path: RelativePath

    /// The columns `init(_:)` reads, from `contents c`: the id, the hash and one path (an `ok`
    /// file first).
    static let columns = """
        SELECT c.id, c.sha256, (SELECT f.path FROM files f WHERE f.content_id = c.id ORDER BY f.state = 'ok' DESC LIMIT 1)
        FROM contents c
        """

    /// A row of `columns`; nil when no file holds the content any more.
    init?(_ row: RawRow) {
        guard let path = row.optionalBlob(2) else { return nil }
        contentID = row.int(0)
        sha256 = row.blob(1)
        self.path = RelativePath(bytes: path)
    }
}

extension AppDatabase {
    /// Text contents to analyse (see `pendingIDs`), with one readable path each, oldest first.
    public func contentsNeedingAnalysis(after contentID: Int64, limit: Int) throws -> [PendingAnalysis] {
        try writer.read { db in
            var result: [PendingAnalysis] = []
            try RawStatement(
                db,
                """
                \(PendingAnalysis.columns)
                WHERE c.id > ?2 AND c.id IN (\(Self.pendingIDs))
                ORDER BY c.id LIMIT ?3
                """
            ).query([.int(Int64(ContentAnalysis.currentVersion)), .int(contentID), .int(Int64(limit))]) {
                row in
                if let item = PendingAnalysis(row) { result.append(item) }
            }
            return result
        }
    }

    /// Ids of the text contents to analyse (`?1`: the current analysis version): analysed by
    /// an older version or never, or queued because a chrome verdict changed since. Each part
    /// is a search of an index (`v14-analysis-queue`): the unanalysed ones apart, as an `OR`
    /// with `IS NULL` would scan the whole index.
    static let pendingIDs = """
        SELECT id FROM contents WHERE is_text = 1 AND analysis_version IS NULL
        UNION SELECT id FROM contents WHERE is_text = 1 AND analysis_version < ?1
        UNION SELECT content_id FROM analysis_queue
        """

    /// The contents `ids` (those still catalogued), with one readable path each: the ones a
    /// changed chrome verdict queued (`ChromeVerdicts`), found by id rather than by a pass.
    public func contentsToAnalyse(_ ids: [Int64]) throws -> [PendingAnalysis] {
        try writer.read { db in
            var result: [PendingAnalysis] = []
            let statement = try RawStatement(
                db,
                """
                \(PendingAnalysis.columns) WHERE c.id = ? AND c.is_text = 1
                """)
            for id in ids {
                try statement.query([.int(id)]) { row in
                    if let item = PendingAnalysis(row) { result.append(item) }
                }
            }
            return result
        }
    }

    /// How many text contents still need analysing.
    public func countContentsNeedingAnalysis() throws -> Int {
        try writer.read { db in
            var count = 0
            try RawStatement(
                db,
                "SELECT COUNT(*) FROM (\(Self.pendingIDs))"
            ).query([.int(Int64(ContentAnalysis.currentVersion))]) { count = Int($0.int(0)) }
            return count
        }
    }
}
