import CSystemShims
import Foundation
import Glibc
import Synchronization

/// Why the engine could not do what it was asked.
public enum EngineError: Error, Sendable, Equatable, CustomStringConvertible {
    case rootUnavailable(String)
    case paused
    case stopping
    case failed(String)

    public var description: String {
        switch self {
        case .rootUnavailable(let message): message
        case .paused: "the daemon is paused; resume it first"
        case .stopping: "the daemon is shutting down"
        case .failed(let message): message
        }
    }
}

/// A request to the engine from another thread (the control socket, signals, shutdown).
public enum EngineCommand: Sendable {
    /// Reconcile the whole tree now; `progress` after each committed batch. `acceptingRoot`:
    /// take the root as it is, even where it looks unmounted or emptied (see `RootGuard`).
    case rescan(
        acceptingRoot: Bool = false,
        progress: (@Sendable (ReconcileReport) -> Void)?,
        done: (@Sendable (Result<ReconcileReport, EngineError>) -> Void)?
    )
    /// Stop ingesting events until `resume`.
    case pause
    /// Ingest again, after reconciling whatever happened meanwhile.
    case resume
    /// A barrier: answer once every change made to the tree before the request is committed.
    case sync(done: @Sendable (Result<Int64, EngineError>) -> Void)
    /// Finish the batch in flight and stop.
    case stop
}

/// The thread-safe face of the engine: its inbox, its published status, and the change feed.
///
/// The engine itself runs on one dedicated thread and owns all of its state; everything
/// else talks to it only through this hub.
public final class EngineHub: Sendable {
    /// Commands not yet taken by the engine; `closed` once the engine has stopped, after which
    /// every request is answered at once with `.stopping` (nobody may wait forever).
    private let inbox = Mutex<(commands: [EngineCommand], closed: Bool)>(([], false))
    /// The status the engine publishes, and the inotify descriptor whose unread queue `status`
    /// adds to it. One lock for both: the engine marks a drain under it before it reads the
    /// queue, so a reader sees each event either in the kernel or in the engine's counts.
    private let published = Mutex<(status: EngineStatus, inotifyFD: Int32?)>((EngineStatus(), nil))
    private let subscribers = Mutex<[UUID: AsyncStream<Int64>.Continuation]>([:])
    let stopRequested = Atomic<Bool>(false)
    /// The progress of the engine's full reconciles, counted as they go (see `status`).
    let scanCounters = ScanCounters()
    /// An eventfd that wakes the engine's `poll`.
    let wakeFD: Int32

    /// Creates a hub.
    public init() {
        wakeFD = newsd_eventfd()
    }

    deinit { Glibc.close(wakeFD) }

    /// Queues `command` and wakes the engine.
    public func send(_ command: EngineCommand) {
        if case .stop = command { stopRequested.store(true, ordering: .releasing) }
        // A rescan counts as pending from now until the engine begins it (a `status` read in
        // between must not say there is nothing to do).
        if case .rescan = command { updateStatus { $0.pending.rescansRequested += 1 } }
        let accepted = inbox.withLock { inbox -> Bool in
            guard !inbox.closed else { return false }
            inbox.commands.append(command)
            return true
        }
        guard accepted else {
            reject(command)
            return
        }
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    func takeCommands() -> [EngineCommand] {
        var drained: UInt64 = 0
        _ = read(wakeFD, &drained, 8)
        return inbox.withLock { inbox in
            defer { inbox.commands.removeAll() }
            return inbox.commands
        }
    }

    /// The engine has stopped: answer what is queued, and everything sent from now on.
    func close() {
        let leftover = inbox.withLock { inbox in
            inbox.closed = true
            defer { inbox.commands.removeAll() }
            return inbox.commands
        }
        for command in leftover { reject(command) }
    }

    /// Answers a command the engine will never take.
    private func reject(_ command: EngineCommand) {
        switch command {
        case .rescan(_, _, let done):
            rescanRefused()
            done?(.failure(.stopping))
        case .sync(let done): done(.failure(.stopping))
        case .pause, .resume, .stop: break
        }
    }

    /// The latest status, with the inotify events still unread in the kernel counted as
    /// pending and the progress of a full reconcile as it is now. It never waits for the
    /// engine: a long transaction does not delay it.
    public var status: EngineStatus {
        var status = published.withLock { published in
            var status = published.status
            if let fd = published.inotifyFD, let bytes = Inotify.queuedBytes(fd: fd) {
                status.pending.unreadEvents = Inotify.estimatedEvents(queuedBytes: bytes)
            }
            return status
        }
        status.scan = scanCounters.snapshot()
        return status
    }

    func updateStatus(_ change: (inout EngineStatus) -> Void) {
        published.withLock { change(&$0.status) }
    }

    /// The engine's inotify descriptor, or `nil` before it has one and before it closes it.
    func watchQueue(_ fd: Int32?) {
        published.withLock { $0.inotifyFD = fd }
    }

    /// The engine is about to read the kernel's queue: what it holds now counts as being
    /// drained until the engine publishes where it went (`PendingWork.draining`). Returns how
    /// many bytes of events to read — exactly those counted: events arriving meanwhile stay in
    /// the kernel, where `status` counts them — or `nil` when there is nothing to read. A
    /// kernel that does not say how much waits gets everything read, counted as one item.
    func drainBegins() -> Int? {
        published.withLock { published in
            guard let fd = published.inotifyFD else { return nil }
            let bytes = Inotify.queuedBytes(fd: fd)
            published.status.pending.draining = Inotify.estimatedEvents(queuedBytes: bytes ?? 1)
            guard let bytes else { return Int.max }
            return bytes > 0 ? bytes : nil
        }
    }

    /// A rescan request was refused (the engine is stopping).
    func rescanRefused() {
        updateStatus { $0.pending.rescanTaken() }
    }

    /// A stream of the newest committed sequence number, coalesced: a slow reader only ever
    /// sees the latest value, so it can never make the engine wait or memory grow.
    public func subscribe() -> AsyncStream<Int64> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: Int64.self, bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        subscribers.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        continuation.yield(status.lastSeq)
        return stream
    }

    func publish(lastSeq: Int64) {
        updateStatus { $0.lastSeq = lastSeq }
        let continuations = subscribers.withLock { Array($0.values) }
        for continuation in continuations { continuation.yield(lastSeq) }
    }

    func finishSubscribers() {
        let continuations = subscribers.withLock { subscribers in
            defer { subscribers.removeAll() }
            return Array(subscribers.values)
        }
        for continuation in continuations { continuation.finish() }
    }

    // MARK: async conveniences for callers on the concurrency runtime

    /// Waits until every change made before the call is committed; returns the last sequence number.
    public func sync() async throws(EngineError) -> Int64 {
        let result = await withCheckedContinuation { continuation in
            send(.sync(done: { continuation.resume(returning: $0) }))
        }
        return try result.get()
    }

    /// Reconciles the whole tree now.
    public func rescan(progress: (@Sendable (ReconcileReport) -> Void)? = nil) async throws(EngineError)
        -> ReconcileReport
    {
        let result = await withCheckedContinuation { continuation in
            send(.rescan(progress: progress, done: { continuation.resume(returning: $0) }))
        }
        return try result.get()
    }
}
