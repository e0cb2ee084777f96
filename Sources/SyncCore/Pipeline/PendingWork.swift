/// The work the daemon has been given and has not committed yet, as `status` counts it.
///
/// Work moves from one stage to the next — unread in the kernel, being drained, settling in
/// the coalescer, being walked, being ingested — and the engine publishes every move as one
/// update of this value, so a reader never sees work between two stages, counted in neither.
/// It leaves the count only when the transaction holding it commits. Hence `total == 0`
/// means there is nothing at all left to commit: the guarantee `status` and `sync` rest on.
public struct PendingWork: Sendable, Equatable {
    /// inotify events the kernel has queued and the engine has not read yet (estimated from
    /// the queue's size when the status is read).
    public var unreadEvents = 0
    /// Events the engine has read and not yet handed to the coalescer (a drain in progress).
    public var draining = 0
    /// Paths waiting in the coalescer to settle.
    public var settling = 0
    /// Paths handed to the reconciler whose walk is not done: how much each holds is not known
    /// until it is (a directory moved in may hold thousands of files).
    public var walking = 0
    /// What the pass in flight has to commit and has not: files to read, and entries renamed,
    /// deleted or skipped without a read.
    public var ingesting = 0
    /// `rescan` requests sent to the engine that it has not begun yet.
    var rescansRequested = 0
    /// A full reconcile the engine owes itself and has not begun: after an inotify overflow,
    /// a failed write, the root coming back.
    var fullReconcileDue = false
    /// The transaction in flight, if any.
    public var transaction: TransactionProgress?

    /// Nothing pending.
    public init() {}

    /// Every item above. The units differ (an event, a path, a file), so it measures a
    /// backlog rather than counting changes; it is exact where it matters: 0 means nothing.
    public var total: Int {
        unreadEvents + draining + settling + walking + ingesting + reconcilesWaiting
    }

    /// Full reconciles due and not begun.
    public var reconcilesWaiting: Int { rescansRequested + (fullReconcileDue ? 1 : 0) }

    /// The engine has taken a `rescan` request (to begin it, or to refuse it).
    mutating func rescanTaken() {
        rescansRequested = max(0, rescansRequested - 1)
    }

    /// A pass begins over `scopes` paths (taken from the coalescer in the same update).
    mutating func passBegan(scopes: Int) {
        walking = scopes
        ingesting = 0
        transaction = nil
    }

    /// The pass has walked its scopes and knows what it has to commit.
    mutating func planned(items: Int) {
        walking = 0
        ingesting = items
    }

    /// A transaction of `operations` catalogue operations begins at `now` (monotonic ns).
    mutating func transactionBegan(operations: Int, at now: UInt64) {
        transaction = TransactionProgress(operations: operations, applied: 0, startedAt: now)
    }

    /// `applied` of the transaction's operations are done; nothing is committed yet.
    public mutating func applied(_ applied: Int) {
        transaction?.applied = applied
    }

    /// The transaction committed the pass's next `items`: only now do they leave the count.
    public mutating func committed(items: Int) {
        ingesting = max(0, ingesting - items)
        transaction = nil
    }

    /// The pass is over (done, failed or cancelled): whatever it left behind is handed back
    /// in the same update (paths to look at again, a full reconcile owed).
    mutating func passEnded() {
        walking = 0
        ingesting = 0
        transaction = nil
    }
}
