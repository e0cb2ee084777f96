import ControlWire

/// What the pages read: the control protocol's read-only methods, asynchronous. The real one
/// is `SocketBackend`; route tests use a fake.
protocol CatalogueBackend: Sendable {
    /// Where the daemon is, for the page that says it cannot be reached.
    var socketPath: String { get }
    func status() async throws(BackendError) -> StatusResult
    func languages() async throws(BackendError) -> LanguagesResult
    func clusters(offset: Int, limit: Int) async throws(BackendError) -> ClustersResult
    func cluster(_ params: ClusterParams) async throws(BackendError) -> ClusterDetail
    func show(_ path: WirePath) async throws(BackendError) -> FileDetail
    func search(_ params: SearchParams) async throws(BackendError) -> SearchResult
    func changes(since: String?, limit: Int) async throws(BackendError) -> ChangesResult
    func errors(limit: Int) async throws(BackendError) -> ListResult
    /// The change log from `since` (absent: from now) as it grows; ends when the daemon ends
    /// the stream, and stops following when the consumer stops iterating.
    func follow(since: String?) -> AsyncThrowingStream<ChangeRecord, any Error>
}

/// Why the backend could not answer.
enum BackendError: Error, CustomStringConvertible, Equatable {
    /// The daemon cannot be reached, closed the connection, or is stopping: try again later.
    case unavailable(String)
    /// What was asked for is not in the catalogue.
    case notFound(String)
    /// The request was refused as malformed (e.g. a search with no words).
    case badRequest(String)
    /// Anything else the daemon answered with.
    case failed(String)

    var description: String {
        switch self {
        case .unavailable(let message), .notFound(let message), .badRequest(let message),
            .failed(let message):
            message
        }
    }

    /// Maps a client failure.
    init(_ error: any Error) {
        switch error {
        case let error as BackendError: self = error
        case ControlClientError.unreachable(let path, let reason):
            self = .unavailable("cannot connect to newsd at \(path): \(reason)")
        case ControlClientError.closed(let message): self = .unavailable(message)
        case ControlClientError.remote(let remote):
            switch remote.code {
            case .notFound: self = .notFound(remote.message)
            case .badParams: self = .badRequest(remote.message)
            case .shuttingDown, .tooManyClients, .idleTimeout: self = .unavailable(remote.message)
            default: self = .failed("\(remote.message) (\(remote.code))")
            }
        case let client as ControlClientError: self = .failed(client.description)
        default: self = .failed("\(error)")
        }
    }
}
