import GRDB

/// `v1-files-contents-changes`: the catalogue's first schema: `meta` (with the catalogue's
/// epoch), `contents` (one row per distinct SHA-256), `files` (one row per path, its stat key
/// and state) and the `changes` log.
///
/// Paths and hashes are BLOBs so that file names which are not UTF-8 survive byte for byte.
/// The CHECK constraints spell out the invariants the rest of the code relies on.
enum FilesContentsChangesMigration {
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE meta (
                    key TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                );
                CREATE TABLE contents (
                    id INTEGER PRIMARY KEY,
                    sha256 BLOB NOT NULL UNIQUE CHECK (length(sha256) = 32),
                    size INTEGER NOT NULL CHECK (size >= 0),
                    is_text INTEGER NOT NULL CHECK (is_text IN (0, 1))
                );
                CREATE TABLE files (
                    id INTEGER PRIMARY KEY,
                    path BLOB NOT NULL UNIQUE CHECK (length(path) > 0),
                    kind TEXT NOT NULL CHECK (kind IN ('file', 'directory', 'symlink', 'fifo', 'socket',
                                                       'block-device', 'char-device', 'unknown')),
                    dev INTEGER NOT NULL,
                    ino INTEGER NOT NULL,
                    size INTEGER NOT NULL CHECK (size >= 0),
                    mtime_ns INTEGER NOT NULL,
                    ctime_ns INTEGER NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('ok', 'error', 'skipped')),
                    reason TEXT,
                    content_id INTEGER REFERENCES contents(id) ON DELETE RESTRICT,
                    verified_ns INTEGER NOT NULL,
                    CHECK ((state = 'ok') = (reason IS NULL)),
                    CHECK (state <> 'ok' OR content_id IS NOT NULL),
                    CHECK ((state = 'skipped') = (kind NOT IN ('file', 'directory'))),
                    CHECK (state <> 'skipped' OR content_id IS NULL),
                    CHECK (kind <> 'directory' OR (state = 'error' AND content_id IS NULL))
                );
                CREATE INDEX files_content ON files(content_id);
                CREATE INDEX files_inode ON files(dev, ino);
                CREATE TABLE changes (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    op TEXT NOT NULL CHECK (op IN ('add', 'modify', 'rename', 'delete')),
                    path BLOB NOT NULL CHECK (length(path) > 0),
                    from_path BLOB,
                    sha256 BLOB CHECK (sha256 IS NULL OR length(sha256) = 32),
                    state TEXT NOT NULL CHECK (state IN ('ok', 'error', 'skipped')),
                    at_ns INTEGER NOT NULL,
                    CHECK ((op = 'rename') = (from_path IS NOT NULL))
                );
                """)
        try db.execute(
            sql: "INSERT INTO meta(key, value) VALUES ('epoch', lower(hex(randomblob(8))))")
    }
}
