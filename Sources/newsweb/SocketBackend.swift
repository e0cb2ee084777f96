import ControlWire
import Foundation
import NIOPosix
import Synchronization

/// The control socket, as the pages read it: blocking `ControlClient` calls run on a small
/// thread pool, never on the server's event loops. Idle connections are kept for the next
/// request; one the daemon has closed meanwhile (idle timeout, restart) is replaced once.
final class SocketBackend: CatalogueBackend {
    let socketPath: String
    private let threads: NIOThreadPool
    private let idle = Mutex<[Connection]>([])
    private let followers = Atomic<Int>(0)
    /// Connections kept open between requests.
    static let keptConnections = 4
    /// Live pages following the change log at once (each holds a thread and a connection).
    static let maxFollowers = 16
    /// How long a reply may take before the page gives up on it.
    static let replyTimeout = 30.0

    /// A client used by one thread at a time (taken from and put back into `idle`).
    final class Connection: @unchecked Sendable {
        let client: ControlClient
        init(_ client: ControlClient) { self.client = client }
    }

    init(socketPath: String, threads: NIOThreadPool) {
        self.socketPath = socketPath
        self.threads = threads
    }

    func status() async throws(BackendError) -> StatusResult {
        try await call(.status, NoParams(), as: StatusResult.self)
    }

    func languages() async throws(BackendError) -> LanguagesResult {
        try await call(.languages, NoParams(), as: LanguagesResult.self)
    }

    func clusters(offset: Int, limit: Int) async throws(BackendError) -> ClustersResult {
        // The list shows each cluster's first member and its counts: one member is enough.
        try await call(
            .clusters, ClustersParams(limit: limit, offset: offset, members: 1), as: ClustersResult.self)
    }

    func cluster(_ params: ClusterParams) async throws(BackendError) -> ClusterDetail {
        try await call(.cluster, params, as: ClusterDetail.self)
    }

    func show(_ path: WirePath) async throws(BackendError) -> FileDetail {
        try await call(.show, ShowParams(pathB64: path.exactBase64), as: FileDetail.self)
    }

    func search(_ params: SearchParams) async throws(BackendError) -> SearchResult {
        try await call(.search, params, as: SearchResult.self)
    }

    func changes(since: String?, limit: Int) async throws(BackendError) -> ChangesResult {
        try await call(.changes, ChangesParams(since: since, limit: limit), as: ChangesResult.self)
    }

    func errors(limit: Int) async throws(BackendError) -> ListResult {
        try await call(.errors, ListParams(limit: limit), as: ListResult.self)
    }

    /// Runs one request on the thread pool.
    func call<P: Encodable & Sendable, R: Decodable & Sendable>(
        _ method: ControlMethod, _ params: P, as type: R.Type
    ) async throws(BackendError) -> R {
        do {
            return try await threads.runIfActive { try self.blockingCall(method.rawValue, params, as: type) }
        } catch {
            throw BackendError(error)
        }
    }

    private func blockingCall<P: Encodable & Sendable, R: Decodable & Sendable>(
        _ method: String, _ params: P, as type: R.Type
    ) throws -> R {
        if let kept = idle.withLock({ $0.popLast() }) {
            do {
                let result = try kept.client.call(method, params, as: type)
                keep(kept)
                return result
            } catch ControlClientError.closed {
                // The daemon closed this connection while it was idle: a fresh one below.
            } catch ControlClientError.remote(let error)
                where error.code == .idleTimeout || error.code == .shuttingDown
            {
                // Likewise, and it said why before it closed (a daemon since restarted).
            } catch ControlClientError.remote(let error) {
                keep(kept)
                throw ControlClientError.remote(error)
            }
        }
        let fresh = Connection(try ControlClient(socketPath: socketPath))
        fresh.client.setReceiveTimeout(Self.replyTimeout)
        do {
            let result = try fresh.client.call(method, params, as: type)
            keep(fresh)
            return result
        } catch ControlClientError.remote(let error) {
            keep(fresh)
            throw ControlClientError.remote(error)
        }
    }

    private func keep(_ connection: Connection) {
        idle.withLock { connections in
            if connections.count < Self.keptConnections { connections.append(connection) }
        }
    }

    func follow(since: String?) -> AsyncThrowingStream<ChangeRecord, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(
            of: ChangeRecord.self, bufferingPolicy: .bufferingNewest(1_000))
        guard followers.add(1, ordering: .relaxed).newValue <= Self.maxFollowers else {
            followers.subtract(1, ordering: .relaxed)
            continuation.finish(
                throwing: BackendError.unavailable("too many live pages follow newsd at once"))
            return stream
        }
        let connection: Connection
        do {
            connection = Connection(try ControlClient(socketPath: socketPath))
        } catch {
            followers.subtract(1, ordering: .relaxed)
            continuation.finish(throwing: BackendError(error))
            return stream
        }
        // Closing our side makes newsd end the stream, which ends the blocking read below.
        continuation.onTermination = { _ in connection.client.finishSending() }
        let thread = Thread {
            defer { self.followers.subtract(1, ordering: .relaxed) }
            do {
                _ = try connection.client.callRaw(ControlMethod.follow.rawValue, FollowParams(since: since)) {
                    method, line in
                    guard method == ControlNotificationMethod.change else { return }
                    let change = try ControlCoding.decode(
                        ControlNotificationEnvelope<ChangeRecord>.self, from: line)
                    continuation.yield(change.params)
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: BackendError(error))
            }
        }
        thread.start()
        return stream
    }
}

extension WirePath {
    /// The base64 of the exact bytes, whatever they are (for `path_b64` params).
    var exactBase64: String { Data(bytes).base64EncodedString() }
}
