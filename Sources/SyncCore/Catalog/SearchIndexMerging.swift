import GRDB

/// FTS5 segment merging moved out of the commit path.
///
/// FTS5 writes each transaction's terms as a new segment and, by default, merges segments
/// inside the COMMIT that creates the fourth on a level. With one article per transaction
/// (the daemon's steady state) some commits paid for merging the corpus-sized segments: the
/// p99 of one new article was 33 ms against a p50 of 8 (14 ms with merges deferred). The
/// daemon turns automatic merging off and merges in small steps when it is idle; FTS5 still
/// forces a merge if 16 segments pile up on one level ('crisismerge').
extension AppDatabase {
    /// Turns FTS5's automatic merging off (a setting stored in the catalogue).
    public func deferSearchMerges() throws {
        try writer.write { db in
            try db.execute(sql: "INSERT INTO search(search, rank) VALUES ('automerge', 0)")
        }
    }

    /// Merges up to about `pages` pages of the search index; false when nothing was left to
    /// merge (FTS5 then leaves the change counter alone, or moves it by one).
    public func mergeSearchIndex(pages: Int = 256) throws -> Bool {
        try writer.write { db in
            let before = db.totalChangesCount
            try db.execute(sql: "INSERT INTO search(search, rank) VALUES ('merge', ?)", arguments: [pages])
            return db.totalChangesCount - before >= 2
        }
    }
}
