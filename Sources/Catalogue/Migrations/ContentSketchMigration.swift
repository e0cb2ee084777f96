import GRDB

/// `v11-content-sketches`: each content's MinHash sketch (`MinHashSketch`) beside its band
/// keys. Contents analysed before it have none and are verified as before; the next analysis
/// of a text stores one.
enum ContentSketchMigration {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE content_bands ADD COLUMN sketch BLOB")
    }
}
