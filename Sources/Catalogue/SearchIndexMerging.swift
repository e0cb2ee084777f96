import GRDB

/// FTS5 segment merging moved out of the commit path.
///
/// FTS5 writes each transaction's terms as a new segment and, by default, merges segments
/// inside the COMMIT that creates the fourth on a level. With one article per transaction (the
/// daemon's steady state) some commits would pay for merging the corpus-sized segments: with
/// merges in the commits, the p99 of one new article is 33 ms against a p50 of 8 (14 ms with
/// merges deferred). In a cold ingest the same merges would rewrite the index again and again
/// (a scan of the corpus writes 313 MB for an 88 MB catalogue; 349 MB with them). So automatic
/// merging is off in every catalogue (`v8-search-merges-when-idle`): the daemon merges in small
/// steps when it is idle, and FTS5 still forces a merge if 64 segments pile up on one level
/// ('crisismerge', v9), which bounds what a search reads after a `newsd scan` that no daemon
/// followed.
extension AppDatabase {
    /// Segments on a level of the search index at which the daemon merges between events
    /// rather than after a quiet spell (waiting for the WAL to be copied before
    /// `urgentMergeSegments`): a stream of single articles that never leaves the
    /// daemon quiet (each commit adds a segment; a bulk ingest adds one a megabyte) would
    /// otherwise take a level to the crisis merge (64), which one article's commit then pays
    /// for: on the 256,000-article archive, 100 single articles written right after 2,000 at
    /// once had one that waited 138–181 ms in each of four runs (FTS5's `xSync` in the commit,
    /// by a profile of one of them); merged between events, the slowest of the 100 took 43 ms.
    public static let busyMergeSegments = 16

    /// Segments on a level at which merging between events goes on even while the WAL waits to
    /// be copied (`SearchMergeSchedule`): half the crisis merge's 64.
    public static let urgentMergeSegments = 32

    /// The most segments any level of the search index holds.
    public func searchIndexBusiestLevel() throws -> Int {
        try writer.read { db in try Self.searchSegmentsPerLevel(db).max() ?? 0 }
    }

    /// The segments on each level of the search index, lowest first, from FTS5's structure
    /// record (`search_data` row 10: a 4-byte cookie, then varints: the level count, the
    /// segment count, the write counter, and per level the segments being merged, the segment
    /// count and three varints per segment).
    static func searchSegmentsPerLevel(_ db: Database) throws -> [Int] {
        var record: [UInt8]?
        try RawStatement(db, "SELECT block FROM search_data WHERE id = 10").query([]) {
            record = $0.optionalBlob(0)
        }
        guard let blob = record else { return [] }
        var reader = SQLiteVarintReader(bytes: blob, offset: 4)
        guard let levels = reader.next(), reader.next() != nil, reader.next() != nil else { return [] }
        var counts: [Int] = []
        for _ in 0..<min(levels, 64) {
            guard reader.next() != nil, let segments = reader.next() else { return counts }
            counts.append(segments)
            for _ in 0..<(3 * segments) where reader.next() == nil { return counts }
        }
        return counts
    }

    /// Merges up to about `pages` pages of the search index; false when nothing was left to
    /// merge (FTS5 then leaves the change counter alone, or moves it by one). After a step the
    /// WAL is started over as after a commit (`restartWALIfLarge`): the merging a start
    /// schedules on the 256,000-article archive of `bench/archive.py` otherwise took it to 960
    /// MB, which the next new article's commit cut back to the limit (0.23–0.30 s). Under the
    /// daemon, steps wait for the checkpointer to copy it first (`SearchMergeSchedule`).
    public func mergeSearchIndex(pages: Int = 256) throws -> Bool {
        try writeRestartingLargeWAL { db in
            let before = db.totalChangesCount
            try db.execute(sql: "INSERT INTO search(search, rank) VALUES ('merge', ?)", arguments: [pages])
            return db.totalChangesCount - before >= 2
        }
    }
}

/// SQLite's variable-length integers (big-endian, 7 bits a byte, the ninth byte whole), as
/// FTS5 writes them in its structure record.
struct SQLiteVarintReader {
    let bytes: [UInt8]
    var offset: Int

    /// The next value; nil past the end (or for a value that does not fit an `Int`).
    mutating func next() -> Int? {
        var value: UInt64 = 0
        for index in 0..<9 {
            guard offset < bytes.count else { return nil }
            let byte = bytes[offset]
            offset += 1
            if index == 8 {
                value = value << 8 | UInt64(byte)
                break
            }
            value = value << 7 | UInt64(byte & 0x7F)
            if byte & 0x80 == 0 { break }
        }
        return value <= UInt64(Int.max) ? Int(value) : nil
    }
}
