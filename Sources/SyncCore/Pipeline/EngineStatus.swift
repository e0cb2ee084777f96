import ControlWire
import Foundation

/// What the daemon is doing, as `status` reports it.
public enum DaemonState: String, Sendable, Codable, CaseIterable {
    /// Setting up; the start-up scan has not begun.
    case starting
    /// A full reconcile is running (start-up, overflow, rescan, periodic).
    case scanning
    /// Idle or ingesting events: the catalogue follows the tree.
    case watching
    /// `pause` was requested: events are not ingested until `resume`.
    case paused
    /// Running, but part of the tree is not watched as it should be: the root is missing,
    /// the watch limit was reached (polling), or the filesystem does not report changes.
    case degraded
    /// Shutting down.
    case stopping
}

/// A snapshot of the engine, published after every step for status readers.
public struct EngineStatus: Sendable, Equatable {
    public var state: DaemonState = .starting
    /// The work given to the daemon and not committed yet, stage by stage.
    public var pending = PendingWork()
    /// Everything not committed yet (`pending.total`): 0 means nothing is left to commit.
    public var queue: Int { pending.total }
    /// Directories watched with inotify.
    public var watches = 0
    /// `fs.inotify.max_user_watches`, when readable.
    public var watchLimit: Int?
    /// Directories polled because they could not be watched.
    public var polledDirectories = 0
    /// Times the inotify queue overflowed.
    public var overflows = 0
    /// Human-readable problems the operator should know about.
    public var warnings: [String] = []
    /// When the last full reconcile finished.
    public var lastFullScan: Date?
    /// How far the full reconcile running now has got (`nil` when none runs). Counted live
    /// by the pass and read when the status is (`EngineHub.status`), not published by the
    /// engine, whose thread is busy walking or in a transaction meanwhile.
    public var scan: ScanProgress?
    /// When the engine started.
    public var startedAt = Date()
    /// The newest change-log sequence number the engine has committed.
    public var lastSeq: Int64 = 0
    /// Contents still waiting for the analysis backfill (catalogued by an older newsd).
    public var backfillRemaining = 0

    /// A fresh status.
    public init() {}
}
