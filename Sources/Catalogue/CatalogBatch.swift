import Dedup
import Foundation
import NewsCore

/// One operation on the catalogue, decided by the reconciler from what the filesystem says.
public enum CatalogOperation: Sendable {
    /// Record `path` as it is now. Logged as `add` when the path is new, as `modify` when its
    /// bytes or state changed, and not logged when only its `stat` moved on.
    case put(FileObservation)
    /// The entry at `from` is now at `to` (same inode). Logged as `rename`; a catalogued entry
    /// that `to` replaced is logged as `delete` first.
    case move(from: RelativePath, to: FileObservation)
    /// `path` is gone. Logged as `delete`.
    case remove(RelativePath)
    /// Store the analysis of an already catalogued content (the backfill of contents
    /// catalogued before analysis existed, or by an older analysis version). Not logged:
    /// the bytes did not change.
    case analyse(sha256: [UInt8], ContentAnalysis)
}

/// What is known of one path after looking at it: its `stat`, its state, and the bytes' hash
/// when they were read in this pass (`nil` content means "unchanged since the catalogue").
public struct FileObservation: Sendable {
    public var path: RelativePath
    public var stat: FileStat
    public var state: FileState
    public var reason: String?
    /// The content when it was read now; `nil` keeps the catalogued content.
    public var content: ObservedContent?
    public var verifiedNanoseconds: Int64
    /// The reconciler's word that the catalogue has no row at `path`: the writer can insert
    /// without looking first (it is the only writer, so the word holds).
    public var isNew = false

    /// Memberwise initialiser.
    public init(
        path: RelativePath, stat: FileStat, state: FileState, reason: String?, content: ObservedContent?,
        verifiedNanoseconds: Int64
    ) {
        self.path = path
        self.stat = stat
        self.state = state
        self.reason = reason
        self.content = content
        self.verifiedNanoseconds = verifiedNanoseconds
    }
}

/// The content part of an observation.
public enum ObservedContent: Sendable {
    /// Bytes were read and hashed; text is analysed (`nil` analysis for bytes that are not
    /// an article: not UTF-8, binary, too large).
    case bytes(sha256: [UInt8], size: Int64, isText: Bool, analysis: ContentAnalysis? = nil)
    /// Nothing could be read (unreadable, or not a regular file).
    case unreadable
}

/// A change as the log records it.
public struct ChangeEntry: Sendable, Equatable {
    /// The kind of change.
    public enum Operation: String, Sendable {
        case add, modify, rename, delete
    }

    public var seq: Int64
    public var op: Operation
    public var path: RelativePath
    public var from: RelativePath?
    public var sha256: [UInt8]?
    public var state: FileState
    public var atNanoseconds: Int64

    /// Memberwise initialiser.
    public init(
        seq: Int64, op: Operation, path: RelativePath, from: RelativePath?, sha256: [UInt8]?,
        state: FileState,
        atNanoseconds: Int64
    ) {
        self.seq = seq
        self.op = op
        self.path = path
        self.from = from
        self.sha256 = sha256
        self.state = state
        self.atNanoseconds = atNanoseconds
    }
}
