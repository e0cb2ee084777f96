import Synchronization

/// The catalogue's committed corpus-chrome verdicts, shared by the writer (which changes them
/// on commit) and the analysis workers (which read a snapshot per text).
public final class ChromeVerdicts: Sendable {
    private let state = Mutex<(keys: Set<UInt64>, queued: Set<Int64>)>(([], []))

    init() {}

    /// The lines judged chrome now (a copy-on-write snapshot: O(1)).
    public var snapshot: Set<UInt64> { state.withLock { $0.keys } }

    /// Replaces the verdicts (on open, and after a commit that changed them).
    func replace(with keys: Set<UInt64>) { state.withLock { $0.keys = keys } }

    /// Queues contents whose stored analysis disagrees with the verdicts now. (The writer
    /// also keeps them in `analysis_queue`, where a restart's backfill finds them.)
    func queueReanalysis(_ ids: Set<Int64>) { state.withLock { $0.queued.formUnion(ids) } }

    /// Takes up to `limit` queued contents, smallest ids first.
    public func takeQueued(limit: Int) -> [Int64] {
        state.withLock { state in
            let taken = Array(state.queued.sorted().prefix(limit))
            state.queued.subtract(taken)
            return taken
        }
    }

    /// Drops the queue: a pass over every pending content (`AnalysisBackfill`) is starting,
    /// and it finds them all from `analysis_queue`.
    public func clearQueued() { state.withLock { $0.queued.removeAll() } }

    /// Whether contents wait to be analysed again.
    public var hasQueued: Bool { state.withLock { !$0.queued.isEmpty } }
}
