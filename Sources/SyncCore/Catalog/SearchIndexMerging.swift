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
    /// `v8-search-merges-when-idle`: FTS5's automatic merging off (a setting FTS5 stores in
    /// the catalogue, `search_config`).
    static func deferSearchMerges(_ db: Database) throws {
        try db.execute(sql: "INSERT INTO search(search, rank) VALUES ('automerge', 0)")
    }

    /// `v9-search-crisis-merge-64`: FTS5 forces a merge once 64 segments pile up on a level,
    /// not 16. FTS5 also flushes its pending terms every ~1 MB, so a cold scan of the corpus
    /// writes 75-90 segments: at 16 it merges five times (the index after such a scan holds 5
    /// merged segments on level 1), at 64 once. One of those merges falls in the backfill at
    /// the end, where nothing runs beside it: that tail takes 0.14 s at 64, 0.25 s at 16. A
    /// search reads every segment of a term's level: on the corpus, 18 segments against one add
    /// 0.04-0.1 ms to a one-word search (64 would add a few tenths, by extrapolation), and the
    /// daemon merges them away when idle.
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
