import ControlWire
import NIOCore
import SyncCore

/// The change feed: `changes` (a page from a cursor) and `follow` (a live stream).
extension ControlHandler {
    /// Entries per page that `follow` reads and sends at once.
    static let followPage = 1_000
    /// How far `follow` may fall behind the newest entry by default.
    static let defaultMaxLag: Int64 = 100_000

    func changes(_ params: ChangesParams) async throws -> ChangesResult {
        let limit = try Self.pageSize(params.limit)
        let database = context.database
        var cursor = context.cursor(0)
        if let since = params.since {
            guard let parsed = ChangeCursor(since) else {
                throw ControlError(.badParams, "since must be a cursor \"<epoch>:<seq>\" (got \"\(since)\")")
            }
            cursor = parsed
        }
        if cursor.epoch == database.epoch {
            let window = try await database.changeWindow(after: cursor.seq, limit: limit + 1)
            if cursor.seq >= window.prunedThrough, cursor.seq <= window.lastSeq {
                let more = window.changes.count > limit
                let page = window.changes.prefix(limit)
                let next = context.cursor(page.last?.seq ?? cursor.seq)
                return ChangesResult(
                    changes: page.map { ChangeRecord($0) }, cursor: next.description, freshInstance: false,
                    files: nil, more: more)
            }
        }
        // Another catalogue, or history that is gone: a full listing, never a silent gap.
        let snapshot = try await database.snapshot()
        return ChangesResult(
            changes: [], cursor: context.cursor(snapshot.lastSeq).description, freshInstance: true,
            files: snapshot.files.map(FileRecord.init), more: false)
    }

    /// Streams change entries after the cursor as `change` notifications until the client goes,
    /// the daemon stops, or the stream must resync.
    ///
    /// The stream is a cursor, not a queue: it reads the log in pages when the client can take
    /// them (a write waits while the client does not read) and otherwise only remembers the
    /// newest sequence number (`EngineHub.subscribe` coalesces). So a slow client costs one
    /// page of memory and never slows the engine; past `max_lag` it is told to resync.
    func follow(id: RequestID?, _ params: FollowParams, _ out: ControlResponder) async throws {
        let maxLag = params.maxLag ?? Self.defaultMaxLag
        guard maxLag >= 1 else { throw ControlError(.badParams, "max_lag must be at least 1") }
        let database = context.database
        // Subscribe before reading the position, so nothing committed in between is missed.
        let subscription = context.hub.subscribe()
        let bounds = try await database.changeWindow(after: Int64.max, limit: 0)
        var position = bounds.lastSeq
        if let since = params.since {
            guard let cursor = ChangeCursor(since) else {
                throw ControlError(.badParams, "since must be a cursor \"<epoch>:<seq>\" (got \"\(since)\")")
            }
            guard cursor.epoch == database.epoch, cursor.seq >= bounds.prunedThrough,
                cursor.seq <= bounds.lastSeq
            else {
                throw ControlError(
                    .resyncRequired,
                    "the cursor \(since) is from another catalogue or older than the kept history; "
                        + "call changes with it for a fresh listing, then follow from the cursor it returns",
                    cursor: since)
            }
            position = cursor.seq
        }
        let start = position
        let outcome = try await withThrowingTaskGroup(of: FollowOutcome.self) { group in
            group.addTask {
                try await self.stream(id: id, from: start, maxLag: maxLag, subscription: subscription, out)
            }
            group.addTask {
                _ = await awaitCancellable(out.peerGone)
                return .clientGone
            }
            let first = try await group.next() ?? .clientGone
            group.cancelAll()
            return first
        }
        switch outcome {
        case .clientGone:
            return
        case .ended(let error):
            try await send { try await out.error(id, error) }
        }
    }

    private enum FollowOutcome: Sendable {
        case clientGone
        case ended(ControlError)
    }

    private func stream(
        id: RequestID?, from start: Int64, maxLag: Int64, subscription: AsyncStream<Int64>,
        _ out: ControlResponder
    ) async throws -> FollowOutcome {
        let database = context.database
        var position = start
        var updates = subscription.makeAsyncIterator()
        while true {
            while true {
                let window = try await database.changeWindow(after: position, limit: Self.followPage)
                let cursor = context.cursor(position).description
                if position < window.prunedThrough {
                    return .ended(
                        ControlError(
                            .resyncRequired,
                            "the history after \(cursor) was pruned; call changes for a fresh listing",
                            cursor: cursor))
                }
                if window.lastSeq - position > maxLag {
                    return .ended(
                        ControlError(
                            .resyncRequired,
                            "this follower fell \(window.lastSeq - position) entries behind (max_lag \(maxLag)); "
                                + "call changes from the cursor to catch up, then follow again",
                            cursor: cursor))
                }
                guard !window.changes.isEmpty else { break }
                var lines: [UInt8] = []
                let encoder = ControlCoding.makeEncoder()
                for entry in window.changes {
                    let record = ChangeRecord(entry, cursor: context.cursor(entry.seq).description)
                    let note = ControlNotification(
                        id: id, method: ControlNotificationMethod.change, params: record)
                    lines += try encoder.encode(note)
                    lines.append(UInt8(ascii: "\n"))
                }
                try await send { try await out.write(lines) }
                position = window.changes[window.changes.count - 1].seq
                if window.changes.count < Self.followPage { break }
            }
            guard await updates.next() != nil else {
                return .ended(ControlError(.shuttingDown, "the daemon is shutting down"))
            }
        }
    }
}
