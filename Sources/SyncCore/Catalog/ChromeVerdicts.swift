import Foundation

/// The catalogue's committed corpus-chrome verdicts, shared by the writer (which changes them
/// on commit) and the analysis workers (which read a snapshot per text).
///
/// An `NSLock` rather than `Mutex`: readers and the writer take it on different threads, and
/// ThreadSanitizer does not see Synchronization's futex (it reported `PendingReads`' slots).
public final class ChromeVerdicts: @unchecked Sendable {
    private let lock = NSLock()
    private var keys: Set<UInt64> = []
    private var reanalysisDue = false

    init() {}

    /// The lines judged chrome now (a copy-on-write snapshot: O(1)).
    public var snapshot: Set<UInt64> { lock.withLock { keys } }

    /// Replaces the verdicts (on open, and after a commit that changed them).
    func replace(with keys: Set<UInt64>) { lock.withLock { self.keys = keys } }

    /// Notes that some content's stored analysis disagrees with the verdicts now.
    func markReanalysisDue() { lock.withLock { reanalysisDue = true } }

    /// True once after `markReanalysisDue`: the caller starts the backfill.
    public func takeReanalysisDue() -> Bool {
        lock.withLock {
            defer { reanalysisDue = false }
            return reanalysisDue
        }
    }
}
