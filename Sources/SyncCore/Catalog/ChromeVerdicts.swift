import Foundation

/// The catalogue's committed corpus-chrome verdicts, shared by the writer (which changes them
/// on commit) and the analysis workers (which read a snapshot per text).
///
/// An `NSLock` rather than `Mutex`: readers and the writer take it on different threads, and
/// ThreadSanitizer does not see Synchronization's futex (it reported `PendingReads`' slots).
public final class ChromeVerdicts: @unchecked Sendable {
    private let lock = NSLock()
    private var keys: Set<UInt64> = []
    private var queued: Set<Int64> = []

    init() {}

    /// The lines judged chrome now (a copy-on-write snapshot: O(1)).
    public var snapshot: Set<UInt64> { lock.withLock { keys } }

    /// Replaces the verdicts (on open, and after a commit that changed them).
    func replace(with keys: Set<UInt64>) { lock.withLock { self.keys = keys } }

    /// Queues contents whose stored analysis disagrees with the verdicts now. (Only in
    /// memory: after a restart the backfill finds them from `line_evidence`.)
    func queueReanalysis(_ ids: Set<Int64>) { lock.withLock { queued.formUnion(ids) } }

    /// Takes up to `limit` queued contents, smallest ids first.
    public func takeQueued(limit: Int) -> [Int64] {
        lock.withLock {
            let taken = Array(queued.sorted().prefix(limit))
            queued.subtract(taken)
            return taken
        }
    }

    /// Drops the queue: a pass over every pending content (`AnalysisBackfill`) is starting,
    /// and it finds them all from `line_evidence`.
    public func clearQueued() { lock.withLock { queued.removeAll() } }

    /// Whether contents wait to be analysed again.
    public var hasQueued: Bool { lock.withLock { !queued.isEmpty } }
}
