import Dedup
import Foundation
import GRDB
import NewsCore

extension AppDatabase {
    /// Applies `operations` in one transaction and returns the change-log entries it appended,
    /// in order. Content rows that no file uses any more are removed in the same transaction.
    /// `applied` gets the number of operations done after each one (a long transaction's
    /// progress; it runs inside the transaction, so it must be quick).
    @discardableResult
    public func apply(_ operations: [CatalogOperation], applied: (Int) -> Void = { _ in }) throws
        -> [ChangeEntry]
    {
        guard !operations.isEmpty else { return [] }
        return try writeRestartingLargeWAL { db in
            var session = try WriteSession(db: db, bands: bands, chrome: knownChrome)
            for (index, operation) in operations.enumerated() {
                switch operation {
                case .put(let observation): try session.put(observation)
                case .move(let from, let to): try session.move(from: from, to: to)
                case .remove(let path): try session.remove(path)
                case .analyse(let sha, let analysis): try session.analyse(sha: sha, analysis)
                }
                applied(index + 1)
            }
            try session.collectOrphanContents()
            try session.duplicates.finish()
            try session.counts.write(db)
            return session.changes
        }
    }
}

/// The statements of one write transaction and the change entries it has appended so far.
private struct WriteSession {
    let now = Int64(Date().timeIntervalSince1970 * 1_000_000_000)
    var changes: [ChangeEntry] = []
    var touchedContents: Set<Int64> = []
    var counts = CountDeltas()

    var duplicates: DuplicateIndex
    let selectFile: RawStatement
    let insertContent: RawStatement
    let insertAnalysedContent: RawStatement
    let selectContent: RawStatement
    let selectOrphan: RawStatement
    let insertFile: RawStatement
    let updateFile: RawStatement
    let deleteFile: RawStatement
    let insertChange: RawStatement
    let deleteOrphan: RawStatement
    let db: Database

    init(db: Database, bands: BandIndexCache, chrome: ChromeVerdicts) throws {
        self.db = db
        selectFile = try RawStatement(
            db,
            """
            SELECT f.id, f.state, f.reason, f.content_id, c.sha256, f.kind
            FROM files f LEFT JOIN contents c ON c.id = f.content_id WHERE f.path = ?
            """)
        duplicates = try DuplicateIndex(db: db, bands: bands, chrome: chrome)
        // A new content inserts one row (the changes count says so); known bytes insert none.
        // Not RETURNING: SQLite buffers RETURNING rows in an ephemeral table, opened and closed
        // per statement, which would be a quarter of a cold byte scan's write time.
        insertContent = try RawStatement(
            db,
            """
            INSERT INTO contents(sha256, size, is_text, cluster) VALUES (?, ?, ?, ?)
            ON CONFLICT(sha256) DO NOTHING
            """)
        insertAnalysedContent = try RawStatement(
            db,
            """
            INSERT INTO contents(sha256, size, is_text, cluster, \(DuplicateIndex.analysisColumns))
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(sha256) DO NOTHING
            """)
        selectContent = try RawStatement(db, "SELECT id, analysis_version FROM contents WHERE sha256 = ?")
        selectOrphan = try RawStatement(
            db,
            "SELECT 1 FROM contents WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM files WHERE content_id = ?1)")
        insertFile = try RawStatement(
            db,
            """
            INSERT INTO files(path, kind, dev, ino, size, mtime_ns, ctime_ns, state, reason, content_id, verified_ns)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        updateFile = try RawStatement(
            db,
            """
            UPDATE files SET path = ?, kind = ?, dev = ?, ino = ?, size = ?, mtime_ns = ?, ctime_ns = ?,
            state = ?, reason = ?, content_id = ?, verified_ns = ? WHERE id = ?
            """)
        deleteFile = try RawStatement(db, "DELETE FROM files WHERE id = ?")
        insertChange = try RawStatement(
            db, "INSERT INTO changes(op, path, from_path, sha256, state, at_ns) VALUES (?, ?, ?, ?, ?, ?)")
        deleteOrphan = try RawStatement(
            db, "DELETE FROM contents WHERE id = ? AND NOT EXISTS (SELECT 1 FROM files WHERE content_id = ?)")
    }

    struct Existing {
        var id: Int64
        var state: FileState
        var reason: String?
        var contentID: Int64?
        var sha256: [UInt8]?
        var kind: String
    }

    func existing(_ path: RelativePath) throws -> Existing? {
        var found: Existing?
        try selectFile.query([.blob(path.bytes)]) { row in
            found = Existing(
                id: row.int(0), state: FileState(rawValue: row.text(1)) ?? .error,
                reason: row.optionalText(2),
                contentID: row.optionalInt(3), sha256: row.optionalBlob(4), kind: row.text(5))
        }
        return found
    }

    /// The content id for `content`, inserting a content row (and its analysis) for new bytes.
    mutating func storeContent(_ content: ObservedContent) throws -> (Int64?, [UInt8]?) {
        switch content {
        case .unreadable:
            return (nil, nil)
        case .bytes(let sha, let size, let isText, let analysis):
            var id: Int64?
            let row: [RawStatement.Value] = [
                .blob(sha), .int(size), .int(isText ? 1 : 0), .text(ClusterID.of(sha256: sha)),
            ]
            if let analysis {
                try insertAnalysedContent.run(row + DuplicateIndex.analysisValues(analysis))
            } else {
                try insertContent.run(row)
            }
            if db.changesCount == 1 {
                id = db.lastInsertedRowID
                counts.contents += 1
            }
            if let id {
                if let analysis { try duplicates.store(analysis, for: id, isNew: true) }
                return (id, sha)
            }
            var version: Int64?
            try selectContent.query([.blob(sha)]) { row in
                id = row.int(0)
                version = row.optionalInt(1)
            }
            // Known bytes: store the analysis only if it is missing or older.
            if let id, let analysis, (version ?? -1) < Int64(analysis.version) {
                try duplicates.store(analysis, for: id, isNew: false)
            }
            return (id, sha)
        }
    }

    /// The backfill: analysis for a content catalogued before it could be analysed.
    mutating func analyse(sha: [UInt8], _ analysis: ContentAnalysis) throws {
        var id: Int64?
        var version: Int64?
        try selectContent.query([.blob(sha)]) { row in
            id = row.int(0)
            version = row.optionalInt(1)
        }
        // The same version too: a content analysed under chrome verdicts that have changed
        // since is queued for analysis again at its current version.
        if let id, (version ?? -1) <= Int64(analysis.version) {
            try duplicates.store(analysis, for: id, isNew: false)
        }
    }

    func fileValues(_ observation: FileObservation, contentID: Int64?) -> [RawStatement.Value] {
        let stat = observation.stat
        return [
            .blob(observation.path.bytes), .text(stat.kind.rawValue), .int(Int64(bitPattern: stat.device)),
            .int(Int64(bitPattern: stat.inode)), .int(stat.size), .int(stat.mtimeNanoseconds),
            .int(stat.ctimeNanoseconds), .text(observation.state.rawValue),
            observation.reason.map { .text($0) } ?? .null, contentID.map { .int($0) } ?? .null,
            .int(observation.verifiedNanoseconds),
        ]
    }

    mutating func put(_ observation: FileObservation) throws {
        let old = observation.isNew ? nil : try existing(observation.path)
        var contentID = old?.contentID
        var sha = old?.sha256
        if let content = observation.content {
            (contentID, sha) = try storeContent(content)
        }
        if let oldContent = old?.contentID, oldContent != contentID { touchedContents.insert(oldContent) }
        if let old {
            try updateFile.run(fileValues(observation, contentID: contentID) + [.int(old.id)])
            countOut(old)
            countIn(observation, content: contentID)
            if old.sha256 != sha || old.state != observation.state || old.reason != observation.reason {
                try log(.modify, observation.path, from: nil, sha256: sha, state: observation.state)
            }
        } else {
            try insertFile.run(fileValues(observation, contentID: contentID))
            countIn(observation, content: contentID)
            try log(.add, observation.path, from: nil, sha256: sha, state: observation.state)
        }
    }

    mutating func move(from: RelativePath, to observation: FileObservation) throws {
        guard let old = try existing(from) else {
            var fresh = observation
            fresh.isNew = false
            try put(fresh)
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
        try updateFile.run(fileValues(observation, contentID: contentID) + [.int(old.id)])
        countOut(old)
        countIn(observation, content: contentID)
        // A rename keeps the bytes it had; if they changed too, that is a second change.
        try log(.rename, observation.path, from: from, sha256: old.sha256, state: old.state)
        if old.sha256 != sha || old.state != observation.state || old.reason != observation.reason {
            try log(.modify, observation.path, from: nil, sha256: sha, state: observation.state)
        }
    }

    /// `old`'s row leaves the counts (deleted, or about to be overwritten).
    mutating func countOut(_ old: Existing) {
        counts.file(kind: old.kind, state: old.state, content: old.contentID, by: -1)
    }

    /// `observation`'s row, with `content`, enters the counts.
    mutating func countIn(_ observation: FileObservation, content: Int64?) {
        counts.file(kind: observation.stat.kind.rawValue, state: observation.state, content: content, by: 1)
    }

    mutating func remove(_ path: RelativePath) throws {
        guard let old = try existing(path) else { return }
        try deleteFile.run([.int(old.id)])
        countOut(old)
        if let content = old.contentID { touchedContents.insert(content) }
        try log(.delete, path, from: nil, sha256: old.sha256, state: old.state)
    }

    mutating func log(
        _ op: ChangeEntry.Operation, _ path: RelativePath, from: RelativePath?, sha256: [UInt8]?,
        state: FileState
    ) throws {
        try insertChange.run([
            .text(op.rawValue), .blob(path.bytes), from.map { .blob($0.bytes) } ?? .null,
            sha256.map { .blob($0) } ?? .null, .text(state.rawValue), .int(now),
        ])
        changes.append(
            ChangeEntry(
                seq: db.lastInsertedRowID, op: op, path: path, from: from, sha256: sha256, state: state,
                atNanoseconds: now))
    }

    mutating func collectOrphanContents() throws {
        for id in touchedContents.sorted() {
            var orphan = false
            try selectOrphan.query([.int(id)]) { _ in orphan = true }
            guard orphan else { continue }
            try duplicates.willRemove(id)
            try deleteOrphan.run([.int(id), .int(id)])
            if db.changesCount == 1 { counts.contents -= 1 }
        }
    }
}
