import Dedup
import Foundation
import GRDB

/// `v3-content-bands`: LSH band keys stored per content (one 168-byte row) instead of one
/// B-tree entry per (key, content) in `lsh_bands`.
///
/// Candidates are found in the in-memory `BandTable`, built from these rows on first use. A
/// B-tree entry per (key, content) means 660,000 random inserts and 660,000 range lookups on a
/// cold ingest of the corpus. The keys carried over are the same 31-bit keys, so contents
/// analysed before and after the upgrade still find each other.
enum ContentBandsMigration {
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE content_bands (
                    content_id INTEGER PRIMARY KEY REFERENCES contents(id) ON DELETE CASCADE,
                    keys BLOB NOT NULL CHECK (length(keys) > 0 AND length(keys) % 4 = 0)
                );
                """)
        // Entries are key << 32 | content; gather each content's keys in band order (the
        // order does not matter to the table, but keeps the rows deterministic).
        var keysByContent: [Int64: [UInt32]] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT entry FROM lsh_bands")
        while let row = try rows.next() {
            let entry: Int64 = row[0]
            keysByContent[entry & 0xFFFF_FFFF, default: []].append(UInt32(truncatingIfNeeded: entry >> 32))
        }
        let insert = try db.makeStatement(sql: "INSERT INTO content_bands(content_id, keys) VALUES (?, ?)")
        for (content, keys) in keysByContent.sorted(by: { $0.key < $1.key }) {
            try insert.execute(arguments: [content, Data(BandTable.encode(keys))])
        }
        try db.execute(sql: "DROP TABLE lsh_bands")
    }
}
