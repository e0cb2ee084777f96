/// What a reconcile pass tells its caller as it goes, so that the caller can count the work
/// not yet committed (`PendingWork`) and report a long transaction's progress.
enum ReconcileMilestone: Sendable, Equatable {
    /// Every scope is walked and compared with the catalogue: the pass has `items` to commit
    /// (files to read, and entries renamed, deleted or skipped without a read; 0: nothing).
    case planned(items: Int)
    /// A transaction of `operations` catalogue operations begins (it may first wait for the
    /// catalogue's write lock).
    case transactionBegan(operations: Int)
    /// `applied` of the transaction's operations are done; nothing of it is committed yet.
    case applied(Int)
    /// The next `items` of the plan are committed (by the transaction that began last, or
    /// with no write at all when they came to nothing, like a file gone before it was read).
    case committed(items: Int)
}
