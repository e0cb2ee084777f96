/// The control protocol's constants: its version and its limits.
///
/// The protocol is newline-delimited JSON over a Unix stream socket; `docs/PROTOCOL.md`
/// describes every method. The version changes only when a change would break a client
/// written against the previous one (new methods, params and result keys do not).
public enum ControlProtocol {
    /// The protocol version `status` reports and requests may name in `protocol`.
    public static let version = 1
    /// The longest request line the server reads, in bytes (newline excluded).
    public static let maxRequestBytes = 1 << 20
    /// The most entries one `list`, `errors` or `changes` page returns.
    public static let maxPageSize = 10_000
    /// The page size when a request does not give one.
    public static let defaultPageSize = 1_000
}

/// The methods the daemon serves.
public enum ControlMethod: String, Sendable, CaseIterable {
    case status, list, show, duplicates, changes, follow, sync, rescan, pause, resume, errors, clusters,
        search, cluster, languages
}

/// The notification methods the daemon sends while a request streams.
public enum ControlNotificationMethod {
    /// One change-log entry, during `follow`.
    public static let change = "change"
    /// How far a full reconcile has got, during `rescan` with `wait`.
    public static let progress = "progress"
}
