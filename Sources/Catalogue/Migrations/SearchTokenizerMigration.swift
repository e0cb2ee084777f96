import GRDB

/// `v5-search-ascii-tokenizer`: the search index rebuilt with FTS5's `ascii` tokenizer.
///
/// Everything the index holds, and every query, has been through the normaliser: letters and
/// digits of every script separated by single spaces, nothing else. `unicode61` spent its time
/// classifying and case-folding each code point again; `ascii` splits on ASCII non-alphanumerics
/// and keeps every other byte in the token, which on normalised text gives the same tokens at
/// the same offsets (all 5,171,904 of the corpus, checked with fts5vocab) for 15% less insert
/// time. The index is rebuilt from its own stored text, so nothing needs the files.
enum SearchTokenizerMigration {
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE VIRTUAL TABLE search_ascii USING fts5(title, body, tokenize = 'ascii');
                INSERT INTO search_ascii(rowid, title, body) SELECT rowid, title, body FROM search;
                -- The trigger names the table; it is dropped and made again around the swap
                -- (renaming over a trigger that names a missing table is an error).
                DROP TRIGGER contents_delete_search;
                DROP TABLE search;
                ALTER TABLE search_ascii RENAME TO search;
                CREATE TRIGGER contents_delete_search AFTER DELETE ON contents BEGIN
                    DELETE FROM search WHERE rowid = old.id;
                END;
                """)
    }
}
