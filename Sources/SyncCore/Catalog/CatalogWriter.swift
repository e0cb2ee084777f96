import Foundation
import GRDB

extension AppDatabase {
    /// Applies `operations` in one transaction and returns the change-log entries it appended,
    /// in order. Content rows that no file uses any more are removed in the same transaction.
    @discardableResult
    public func apply(_ operations: [CatalogOperation]) throws -> [ChangeEntry] {
        guard !operations.isEmpty else { return [] }
        return try writer.write { db in
            var session = WriteSession(db: db)
            for operation in operations {
                switch operation {
                case .put(let observation): try session.put(observation)
                case .move(let from, let to): try session.move(from: from, to: to)
                case .remove(let path): try session.remove(path)
                }
            }
            try session.collectOrphanContents()
            return session.changes
        }
    }
}

/// The statements of one write transaction and the change entries it has appended so far.
private struct WriteSession {
    let db: Database
    let now = Int64(Date().timeIntervalSince1970 * 1_000_000_000)
    var changes: [ChangeEntry] = []
    var touchedContents: Set<Int64> = []

    init(db: Database) { self.db = db }

    struct Existing {
        var id: Int64
        var state: FileState
        var reason: String?
        var contentID: Int64?
        var sha256: [UInt8]?
    }

    func existing(_ path: RelativePath) throws -> Existing? {
        let row = try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT f.id, f.state, f.reason, f.content_id, c.sha256
                    FROM files f LEFT JOIN contents c ON c.id = f.content_id WHERE f.path = ?
                    """),
            arguments: [Data(path.bytes)])
        guard let row else { return nil }
        let sha: Data? = row[4]
        return Existing(
            id: row[0], state: FileState(rawValue: row[1]) ?? .error, reason: row[2], contentID: row[3],
            sha256: sha.map { Array($0) })
    }

    /// The content id for `observation`, inserting a content row for new bytes.
    mutating func storeContent(_ content: ObservedContent) throws -> (Int64?, [UInt8]?) {
        switch content {
        case .unreadable:
            return (nil, nil)
        case .bytes(let sha, let size, let isText):
            try db.cachedStatement(
                sql:
                    "INSERT INTO contents(sha256, size, is_text) VALUES (?, ?, ?) ON CONFLICT(sha256) DO NOTHING"
            ).execute(arguments: [Data(sha), size, isText])
            let id = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT id FROM contents WHERE sha256 = ?"), arguments: [Data(sha)])
            return (id, sha)
        }
    }

    mutating func put(_ observation: FileObservation) throws {
        let old = try existing(observation.path)
        var contentID = old?.contentID
        var sha = old?.sha256
        if let content = observation.content {
            (contentID, sha) = try storeContent(content)
        }
        if let oldContent = old?.contentID, oldContent != contentID { touchedContents.insert(oldContent) }
        let stat = observation.stat
        let arguments: StatementArguments = [
            Data(observation.path.bytes), stat.kind.rawValue, Int64(bitPattern: stat.device),
            Int64(bitPattern: stat.inode), stat.size, stat.mtimeNanoseconds, stat.ctimeNanoseconds,
            observation.state.rawValue, observation.reason, contentID, observation.verifiedNanoseconds,
        ]
        if let old {
            try db.cachedStatement(
                sql: """
                    UPDATE files SET path = ?, kind = ?, dev = ?, ino = ?, size = ?, mtime_ns = ?, ctime_ns = ?,
                    state = ?, reason = ?, content_id = ?, verified_ns = ? WHERE id = ?
                    """
            ).execute(arguments: arguments + [old.id])
            if old.sha256 != sha || old.state != observation.state || old.reason != observation.reason {
                try log(.modify, observation.path, from: nil, sha256: sha, state: observation.state)
            }
        } else {
            try db.cachedStatement(
                sql: """
                    INSERT INTO files(path, kind, dev, ino, size, mtime_ns, ctime_ns, state, reason, content_id,
                    verified_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: arguments)
            try log(.add, observation.path, from: nil, sha256: sha, state: observation.state)
        }
    }

    mutating func move(from: RelativePath, to observation: FileObservation) throws {
        guard let old = try existing(from) else {
            try put(observation)
            return
        }
        if observation.path != from, try existing(observation.path) != nil {
            try remove(observation.path)
        }
        var contentID = old.contentID
        var sha = old.sha256
        if let content = observation.content {
            (contentID, sha) = try storeContent(content)
        }
        if let oldContent = old.contentID, oldContent != contentID { touchedContents.insert(oldContent) }
        let stat = observation.stat
        try db.cachedStatement(
            sql: """
                UPDATE files SET path = ?, kind = ?, dev = ?, ino = ?, size = ?, mtime_ns = ?, ctime_ns = ?,
                state = ?, reason = ?, content_id = ?, verified_ns = ? WHERE id = ?
                """
        ).execute(arguments: [
            Data(observation.path.bytes), stat.kind.rawValue, Int64(bitPattern: stat.device),
            Int64(bitPattern: stat.inode), stat.size, stat.mtimeNanoseconds, stat.ctimeNanoseconds,
            observation.state.rawValue, observation.reason, contentID, observation.verifiedNanoseconds,
            old.id,
        ])
        // A rename keeps the bytes it had; if they changed too, that is a second change.
        try log(.rename, observation.path, from: from, sha256: old.sha256, state: old.state)
        if old.sha256 != sha || old.state != observation.state || old.reason != observation.reason {
            try log(.modify, observation.path, from: nil, sha256: sha, state: observation.state)
        }
    }

    mutating func remove(_ path: RelativePath) throws {
        guard let old = try existing(path) else { return }
        try db.cachedStatement(sql: "DELETE FROM files WHERE id = ?").execute(arguments: [old.id])
        if let content = old.contentID { touchedContents.insert(content) }
        try log(.delete, path, from: nil, sha256: old.sha256, state: old.state)
    }

    mutating func log(
        _ op: ChangeEntry.Operation, _ path: RelativePath, from: RelativePath?, sha256: [UInt8]?,
        state: FileState
    ) throws {
        try db.cachedStatement(
            sql: "INSERT INTO changes(op, path, from_path, sha256, state, at_ns) VALUES (?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [
            op.rawValue, Data(path.bytes), from.map { Data($0.bytes) }, sha256.map { Data($0) },
            state.rawValue, now,
        ])
        changes.append(
            ChangeEntry(
                seq: db.lastInsertedRowID, op: op, path: path, from: from, sha256: sha256, state: state,
                atNanoseconds: now))
    }

    func collectOrphanContents() throws {
        let statement = try db.cachedStatement(
            sql: "DELETE FROM contents WHERE id = ? AND NOT EXISTS (SELECT 1 FROM files WHERE content_id = ?)"
        )
        for id in touchedContents {
            try statement.execute(arguments: [id, id])
        }
    }
}
