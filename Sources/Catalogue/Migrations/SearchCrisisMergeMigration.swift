import GRDB

/// `v9-search-crisis-merge-64`: FTS5 forces a merge once 64 segments pile up on a level, not
/// 16.
///
/// FTS5 flushes its pending terms every ~1 MB, so a cold scan of the corpus writes 75-90
/// segments: at 16 it merges five times (the index after such a scan holds 5 merged segments on
/// level 1), at 64 once. One of those merges falls in the backfill at the end, where nothing
/// runs beside it: that tail takes 0.14 s at 64, 0.25 s at 16. A search reads every segment of
/// a term's level: on the corpus, 18 segments against one add 0.04-0.1 ms to a one-word search
/// (64 would add a few tenths, by extrapolation), and the daemon merges them away when idle.
enum SearchCrisisMergeMigration {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: "INSERT INTO search(search, rank) VALUES ('crisismerge', 64)")
    }
}
