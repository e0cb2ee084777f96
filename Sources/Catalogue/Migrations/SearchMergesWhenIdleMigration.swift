import GRDB

/// `v8-search-merges-when-idle`: FTS5's automatic merging off (a setting FTS5 stores in the
/// catalogue, `search_config`); the daemon merges the search index itself (`SearchIndexMerging`).
enum SearchMergesWhenIdleMigration {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: "INSERT INTO search(search, rank) VALUES ('automerge', 0)")
    }
}
