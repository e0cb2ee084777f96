/// How far the transaction in flight has got.
public struct TransactionProgress: Sendable, Equatable {
    /// Catalogue operations in the transaction (a file added, modified, renamed or deleted).
    public var operations: Int
    /// Operations applied so far; once all are, the transaction finishes its search-index and
    /// cluster updates and commits.
    public var applied: Int
    /// When it began (monotonic nanoseconds).
    public var startedAt: UInt64
}
