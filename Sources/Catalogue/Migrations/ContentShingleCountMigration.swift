import GRDB

/// `v12-content-shingle-counts`: each content's count of distinct shingles beside its sketch
/// (`MinHashSketch.shingles`), from which the writer knows the lowest Jaccard a candidate pair
/// could be accepted with. Contents analysed before it have none, and their pairs are
/// verified from the estimate any sizes allow; the next analysis of a text stores one.
enum ContentShingleCountMigration {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE content_bands ADD COLUMN shingles INTEGER")
    }
}
