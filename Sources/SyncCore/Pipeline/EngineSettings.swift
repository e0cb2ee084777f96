import Catalogue
import Glibc

/// How the engine paces itself. Durations are in nanoseconds.
public struct EngineSettings: Sendable, Equatable {
    /// Quiet period before a path is ingested (default 5 ms: an editor's save or a rename pair
    /// lands within microseconds; watchman waits 20 ms).
    public var settle: UInt64 = 5_000_000
    /// Longest a busy path waits, however often it changes (default 1 s).
    public var settleCap: UInt64 = 1_000_000_000
    /// Longest a created-but-not-closed file waits for its `IN_CLOSE_WRITE` (default 2 s).
    var openFileCap: UInt64 = 2_000_000_000
    /// Period of the safety-net full reconcile, jittered by ±25% (default 1 h).
    public var reconcileInterval: UInt64 = 3_600_000_000_000
    /// Period of polling for directories that cannot be watched, and for a missing root (5 s).
    public var pollInterval: UInt64 = 5_000_000_000
    /// Quiet spell after the last committed change before the search index's segments are
    /// merged (default 1 s; see `AppDatabase.mergeSearchIndex`).
    var searchMergeIdle: UInt64 = 1_000_000_000

    /// The defaults.
    public init() {}

    var coalescerTiming: Coalescer.Timing {
        Coalescer.Timing(quiet: settle, cap: settleCap, openFileCap: openFileCap)
    }
}
