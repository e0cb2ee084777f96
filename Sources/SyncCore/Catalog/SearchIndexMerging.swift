import GRDB

/// FTS5 segment merging moved out of the commit path.
///
/// FTS5 writes each transaction's terms as a new segment and, by default, merges segments
/// inside the COMMIT that creates the fourth on a level. With one article per transaction
/// (the daemon's steady state) some commits paid for merging the corpus-sized segments: the
/// p99 of one new article was 33 ms against a p50 of 8 (14 ms with merges deferred). In a
/// cold ingest the same merges rewrote the index again and again (a scan of the corpus wrote
/// 349 MB for an 88 MB catalogue; 313 MB without them). So automatic merging is off in every
/// catalogue (`v8-search-merges-when-idle`): the daemon merges in small steps when it is
/// idle, and FTS5 still forces a merge if 16 segments pile up on one level ('crisismerge'),
/// which bounds what a search reads after a `newsd scan` that no daemon followed.
extension AppDatabase {
    /// `v8-search-merges-when-idle`: FTS5's automatic merging off (a setting FTS5 stores in
    /// the catalogue, `search_config`).
    static func deferSearchMerges(_ db: Database) throws {
        try db.execute(sql: "INSERT INTO search(search, rank) VALUES ('automerge', 0)")
    }

    /// `v9-search-crisis-merge-64`: FTS5 forces a merge once 64 segments pile up on a level,
    /// not 16. FTS5 also flushes its pending terms every ~1 MB, so a cold scan of the corpus
    /// makes ~50 segments, and at 16 it stopped three times to merge (0.07-0.09 s each, one of
    /// them in the backfill at the end, where nothing else runs beside it: the whole tail was
    /// 0.25 s, 0.14 s at 64). A search reads every segment of a term's level; 64 of them cost
    /// it well under a millisecond, and the daemon merges them away when idle.
    static func raiseSearchCrisisMerge(_ db: Database) throws {
        try db.execute(sql: "INSERT INTO search(search, rank) VALUES ('crisismerge', 64)")
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
