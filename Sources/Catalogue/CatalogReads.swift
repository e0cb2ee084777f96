import Foundation
import GRDB
import NewsCore

extension AppDatabase {
    /// Change-log entries with a sequence number above `seq`, oldest first, at most `limit`.
    public func changes(after seq: Int64, limit: Int = 10_000) throws -> [ChangeEntry] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT seq, op, path, from_path, sha256, state, at_ns FROM changes
                    WHERE seq > ? ORDER BY seq LIMIT ?
                    """,
                arguments: [seq, limit]
            ).map { row in
                let path: Data = row[2]
                let from: Data? = row[3]
                let sha: Data? = row[4]
                return ChangeEntry(
                    seq: row[0], op: ChangeEntry.Operation(rawValue: row[1]) ?? .modify,
                    path: RelativePath(bytes: Array(path)), from: from.map { RelativePath(bytes: Array($0)) },
                    sha256: sha.map { Array($0) }, state: FileState(rawValue: row[5]) ?? .error,
                    atNanoseconds: row[6])
            }
        }
    }
}
