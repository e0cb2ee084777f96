import GRDB

/// The identity of the watched root that the catalogue last trusted, in its stored form (see
/// `RootIdentity`). It lives with the catalogue so that a daemon started while the archive's
/// filesystem is not mounted yet (a boot where the disk comes late) knows the root it finds is
/// not the one it catalogued.
extension AppDatabase {
    /// The stored identity, if one was recorded.
    public func trustedRootIdentity() throws -> String? {
        try writer.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'root_identity'")
        }
    }

    /// Records `stored` as the identity to compare the root with from now on.
    public func trustRootIdentity(_ stored: String) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO meta(key, value) VALUES ('root_identity', ?)
                    ON CONFLICT(key) DO UPDATE SET value = excluded.value
                    """, arguments: [stored])
        }
    }
}
