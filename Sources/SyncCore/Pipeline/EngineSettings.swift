import Catalogue
import Glibc
import NewsCore

/// How the engine paces itself. The engine schedules on the monotonic clock in nanoseconds
/// (`Duration.inNanoseconds`, clamped: a huge interval means "practically never").
public struct EngineSettings: Sendable, Equatable {
    /// Quiet period before a path is ingested (default 5 ms: an editor's save or a rename pair
    /// lands within microseconds; watchman waits 20 ms).
    public var settle: Duration = .milliseconds(5)
    /// Longest a busy path waits, however often it changes (default 1 s).
    public var settleCap: Duration = .seconds(1)
    /// Longest a created-but-not-closed file waits for its `IN_CLOSE_WRITE` (default 2 s).
    var openFileCap: Duration = .seconds(2)
    /// Period of the safety-net full reconcile, jittered by ±25% (default 1 h).
    public var reconcileInterval: Duration = .seconds(3_600)
    /// Period of polling for directories that cannot be watched, and for a missing root (5 s).
    public var pollInterval: Duration = .seconds(5)
    /// Quiet spell after the last committed change before the search index's segments are
    /// merged (default 1 s; see `AppDatabase.mergeSearchIndex`).
    var searchMergeIdle: Duration = .seconds(1)

    /// The defaults.
    public init() {}

    var coalescerTiming: Coalescer.Timing {
        Coalescer.Timing(
            quiet: settle.inNanoseconds, cap: settleCap.inNanoseconds, openFileCap: openFileCap.inNanoseconds)
    }
}
