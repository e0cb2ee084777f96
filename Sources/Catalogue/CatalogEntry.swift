import Foundation
import GRDB
import NewsCore

/// A file's state in the catalogue.
public enum FileState: String, Sendable, Codable, CaseIterable {
    /// Read, hashed and valid text.
    case ok
    /// A regular file that could not be ingested; `reason` says why.
    case error
    /// Not a regular file (symlink, FIFO, socket, device): listed, never opened.
    case skipped
}

/// One `files` row as the scanner compares it with the filesystem.
public struct CatalogEntry: Sendable, Equatable {
    public var path: RelativePath
    public var stat: FileStat
    public var state: FileState
    public var reason: String?
    public var contentID: Int64?
    public var sha256: [UInt8]?
    /// The wall-clock time just before the bytes were last read.
    public var verifiedNanoseconds: Int64

    /// True when the filesystem's `stat` proves the catalogued bytes are still current:
    /// same inode, size, mtime and ctime, and the file was not touched in the same clock
    /// tick as (or after) our last read — git's "racily clean" rule.
    public func isUnchanged(comparedTo current: FileStat) -> Bool {
        guard stat.kind == current.kind else { return false }
        if current.kind != .regular {
            return stat.device == current.device && stat.inode == current.inode
        }
        return stat.sameContentKey(as: current) && !isRacy(current)
    }

    /// A file whose mtime is not clearly older than our last read may have been written again
    /// within the same timestamp tick, so its stat cannot vouch for its bytes (see
    /// `racyWindowNanoseconds`). ctime is not used here: it is part of the stat key, and a
    /// rename or chmod moves it without a write.
    public func isRacy(_ current: FileStat) -> Bool {
        current.mtimeNanoseconds >= verifiedNanoseconds - racyWindowNanoseconds
    }

    static let columns =
        "f.path, f.kind, f.dev, f.ino, f.size, f.mtime_ns, f.ctime_ns, f.state, f.reason, "
        + "f.content_id, c.sha256, f.verified_ns"
    static let from = "files f LEFT JOIN contents c ON c.id = f.content_id"
    /// `columns` with NULL for the hash, from `files` alone.
    static let columnsWithoutHash =
        "f.path, f.kind, f.dev, f.ino, f.size, f.mtime_ns, f.ctime_ns, f.state, f.reason, "
        + "f.content_id, NULL, f.verified_ns"

    init(row: RawRow) {
        path = RelativePath(bytes: row.blob(0))
        stat = FileStat(
            device: UInt64(bitPattern: row.int(2)), inode: UInt64(bitPattern: row.int(3)),
            kind: EntryKind(rawValue: row.text(1)) ?? .unknown, size: row.int(4),
            mtimeNanoseconds: row.int(5), ctimeNanoseconds: row.int(6))
        state = FileState(rawValue: row.text(7)) ?? .error
        reason = row.optionalText(8)
        contentID = row.optionalInt(9)
        sha256 = row.optionalBlob(10)
        verifiedNanoseconds = row.int(11)
    }

    /// Memberwise initialiser.
    public init(
        path: RelativePath, stat: FileStat, state: FileState, reason: String?, contentID: Int64?,
        sha256: [UInt8]?, verifiedNanoseconds: Int64
    ) {
        self.path = path
        self.stat = stat
        self.state = state
        self.reason = reason
        self.contentID = contentID
        self.sha256 = sha256
        self.verifiedNanoseconds = verifiedNanoseconds
    }
}

extension AppDatabase {
    /// The catalogued entries at `path` and beneath it (everything for the root).
    public func entries(under path: RelativePath, withHashes: Bool = true) throws -> [CatalogEntry] {
        try writer.read { db in try Self.entries(db, under: path, withHashes: withHashes) }
    }

    /// `withHashes: false` leaves `sha256` nil and reads `files` alone: a pass compares stats,
    /// and at 256,000 files the hashes (an array each) and the join were a fifth of the rows'
    /// memory and of their load time.
    static func entries(_ db: Database, under path: RelativePath, withHashes: Bool = true) throws
        -> [CatalogEntry]
    {
        var result: [CatalogEntry] = []
        let select =
            withHashes
            ? "SELECT \(CatalogEntry.columns) FROM \(CatalogEntry.from)"
            : "SELECT \(CatalogEntry.columnsWithoutHash) FROM files f"
        if path.isRoot {
            try RawStatement(db, select).query([]) {
                result.append(CatalogEntry(row: $0))
            }
        } else {
            let range = path.descendantKeyRange
            try RawStatement(db, select + " WHERE f.path = ? OR (f.path >= ? AND f.path < ?)").query([
                .blob(path.bytes), .blob(range.lower), .blob(range.upper),
            ]) {
                result.append(CatalogEntry(row: $0))
            }
        }
        return result
    }

    /// Up to `limit` catalogued entries with paths after `after` and before `before` (when
    /// given), in path order, without hashes: a page of a pass's merge with the walk.
    public func entries(after: [UInt8], before: [UInt8]?, limit: Int) throws -> [CatalogEntry] {
        try writer.read { db in
            var result: [CatalogEntry] = []
            result.reserveCapacity(limit)
            let bound = before == nil ? "" : " AND f.path < ?"
            let values: [RawStatement.Value] =
                [.blob(after)] + (before.map { [.blob($0)] } ?? []) + [.int(Int64(limit))]
            try RawStatement(
                db,
                "SELECT \(CatalogEntry.columnsWithoutHash) FROM files f WHERE f.path > ?\(bound) "
                    + "ORDER BY f.path LIMIT ?"
            )
            .query(values) { result.append(CatalogEntry(row: $0)) }
            return result
        }
    }

    /// The catalogued entry at `path`, without its hash.
    public func entry(at path: RelativePath) throws -> CatalogEntry? {
        try writer.read { db in
            var result: CatalogEntry?
            try RawStatement(db, "SELECT \(CatalogEntry.columnsWithoutHash) FROM files f WHERE f.path = ?")
                .query([.blob(path.bytes)]) { result = CatalogEntry(row: $0) }
            return result
        }
    }

    /// The catalogued entries with the given inode (renames are found this way).
    public func entries(device: UInt64, inode: UInt64) throws -> [CatalogEntry] {
        try writer.read { db in
            var result: [CatalogEntry] = []
            try RawStatement(
                db, "SELECT \(CatalogEntry.columns) FROM \(CatalogEntry.from) WHERE f.dev = ? AND f.ino = ?"
            )
            .query([.int(Int64(bitPattern: device)), .int(Int64(bitPattern: inode))]) {
                result.append(CatalogEntry(row: $0))
            }
            return result
        }
    }
}
