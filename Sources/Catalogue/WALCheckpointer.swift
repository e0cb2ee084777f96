import Dispatch
import Foundation
import GRDB
import Logging
import ServiceLifecycle
import Synchronization

/// Keeps the catalogue's WAL short without making a commit wait for it.
///
/// SQLite's automatic checkpoint runs inside the commit that takes the WAL past 1,000 pages and
/// fsyncs the main file there: one change in a hundred waits 10–20 ms for it, which would be
/// the daemon's whole p99 change latency. With the checkpointer running, the writer's
/// automatic checkpoints are off, and a connection of its own copies the WAL back every
/// `interval` once it has grown past `thresholdBytes` (every tenth of it while a WAL past its
/// limit waits to be copied whole, `WALBackfill`). A PASSIVE checkpoint never takes the
/// write lock, so commits carry on meanwhile (the WAL must not grow without bound).
///
/// The daemon runs it as a `Service` of its `ServiceGroup` (`run`): a task that sleeps between
/// checkpoints, made on GRDB's own queue through its async API. `newsd scan`, which has no
/// service group, drives the same checkpoints from a dispatch timer (`start` and `stop`).
public final class WALCheckpointer: Service, Sendable {
    private let database: AppDatabase
    private let thresholdBytes: Int64
    private let interval: Duration
    private let deferringRestarts: Bool
    private let logger: Logger
    private let queue = DispatchQueue(label: "newsd.checkpointer", qos: .utility)
    private let timer = Mutex<TimerBox?>(nil)

    /// A checkpointer for `database`, checking the WAL every `interval`; nothing runs until
    /// `run` (or `start`). `deferringRestarts`: the writer leaves starting the WAL over to it
    /// and SQLite up to four times `walLimit` (`WALBackfill`), for a writer whose commits
    /// must not wait for a checkpoint (the daemon's).
    public init(
        database: AppDatabase, thresholdBytes: Int = 4 << 20, interval: Duration = .milliseconds(500),
        deferringRestarts: Bool = false, logger: Logger = Logger(label: "newsd")
    ) {
        self.deferringRestarts = deferringRestarts
        self.database = database
        self.thresholdBytes = Int64(thresholdBytes)
        self.interval = interval
        self.logger = logger
    }

    /// Checkpoints until graceful shutdown, then hands checkpoints back to the writer and
    /// copies what the WAL still holds. It is the last service to stop: the engine's final
    /// commits are in the WAL by then.
    public func run() async throws {
        let connection: DatabaseQueue
        do {
            connection = try openConnection()
            try await database.writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
            }
        } catch {
            // SQLite's own checkpoints stay on: a slower commit now and then, nothing lost.
            logger.warning("cannot start the background checkpointer", metadata: ["error": "\(error)"])
            // A service that returns ends the group: wait for the shutdown like the others.
            try? await gracefulShutdown()
            return
        }
        database.walBackfill.checkpointerStarted(deferringRestarts: deferringRestarts)
        defer { database.walBackfill.checkpointerStopped(deferringRestarts: deferringRestarts) }
        var delay = interval
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let sleep = delay
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: sleep) }
            delay = interval
            guard !Task.isShuttingDownGracefully, !Task.isCancelled, let start = passStart() else { continue }
            // A busy checkpointer (another checkpoint) or a reader pinning old frames only
            // defers the copy to the next tick.
            let counts = try? await connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
            if let counts { delay = nextDelay(after: counts, start: start) }
        }
        // In a task of its own: GRDB refuses to start an access in a cancelled task, and these
        // must run however this one ends.
        let database = self.database
        _ = await Task {
            _ = try? await database.writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 1000")
                return try db.checkpoint(.passive)
            }
        }.value
        logger.info("checkpointer stopped")
    }

    /// Turns the writer's automatic checkpoints off and starts checkpointing every `interval`
    /// (sooner while the writer waits to start the WAL over) from a dispatch timer, for
    /// synchronous callers.
    public func start() throws {
        let connection = try openConnection()
        try database.setAutomaticCheckpoints(false)
        let timer = DispatchSource.makeTimerSource(queue: queue)
        database.walBackfill.checkpointerStarted(deferringRestarts: deferringRestarts)
        timer.schedule(deadline: .now() + dispatchInterval(interval))
        timer.setEventHandler { [self] in
            let delay = pass(on: connection)
            // A one-shot timer armed again each time, through the box: once `stop` has taken
            // it, nothing re-arms it.
            self.timer.withLock { $0?.source.schedule(deadline: .now() + dispatchInterval(delay)) }
        }
        self.timer.withLock { $0 = TimerBox(source: timer) }
        timer.resume()
    }

    /// Stops the timer (waiting for a checkpoint in progress) and turns the writer's
    /// automatic checkpoints back on.
    public func stop() {
        guard let box = timer.withLock({ $0.take() }) else { return }
        box.source.cancel()
        queue.sync {}
        database.walBackfill.checkpointerStopped(deferringRestarts: deferringRestarts)
        try? database.setAutomaticCheckpoints(true)
    }

    func openConnection() throws -> DatabaseQueue {
        var config = Configuration()
        config.label = "newsd.checkpointer"
        config.busyMode = .timeout(1)
        return try DatabaseQueue(path: database.path, configuration: config)
    }

    /// One passive checkpoint on `connection` if the WAL is large; the delay before the next.
    func pass(on connection: DatabaseQueue) -> Duration {
        guard let start = passStart(),
            let counts = try? connection.writeWithoutTransaction({ db in try db.checkpoint(.passive) })
        else { return interval }
        return nextDelay(after: counts, start: start)
    }

    /// What a pass notes before it checkpoints: the writer's commits so far (read first: one
    /// after them keeps the copy from counting as whole) and the WAL's size; nil when the WAL
    /// is under `thresholdBytes` and there is nothing to do.
    private func passStart() -> (writes: UInt64, bytes: Int64)? {
        let start = (writes: database.walBackfill.writes, bytes: database.walBytes)
        return start.bytes >= thresholdBytes ? start : nil
    }

    /// When to look again after a passive checkpoint that began at `start`: soon while the WAL
    /// is past the writer's limit and not copied whole (`WALBackfill`).
    private func nextDelay(
        after counts: (walFrameCount: Int, checkpointedFrameCount: Int), start: (writes: UInt64, bytes: Int64)
    ) -> Duration {
        let soon = database.walBackfill.checkpointed(
            writesBefore: start.writes, startBytes: start.bytes, walFrames: counts.walFrameCount,
            copied: counts.checkpointedFrameCount)
        return soon ? interval / 10 : interval
    }

    private func dispatchInterval(_ duration: Duration) -> DispatchTimeInterval {
        .microseconds(Int(duration / .microseconds(1)))
    }
}

/// A dispatch timer source: its methods are safe from any thread (libdispatch documents
/// `cancel` and `resume` as such), but the protocol is not marked Sendable.
private struct TimerBox: @unchecked Sendable {
    let source: any DispatchSourceTimer
}

extension AppDatabase {
    /// Starts the WAL over (a RESTART checkpoint on the writer) once it has grown past
    /// `walLimit`, or, under a checkpointer that defers restarts, past four times that
    /// (`WALBackfill`).
    ///
    /// Under a steady stream of commits the checkpointer's passive checkpoints never catch up
    /// with the end of the WAL, and SQLite only starts the WAL over once one has: left to them,
    /// a cold ingest of 100,000 files grows it to 2 GB, writing all of it and mapping 4 MiB of
    /// WAL index into the daemon. Between two commits the writer holds no transaction, so the
    /// checkpoint only waits for readers, and copies what the passive checkpoints left. The
    /// next commit then writes from the start of the file, over pages the OS still has, and
    /// SQLite cuts the file back to `walLimit` there (`journal_size_limit`). Emptied instead
    /// (TRUNCATE), every frame would go to a new page of the file, which the kernel allocates
    /// and zeroes first: the writer's WAL writes are 4.3% of a cold scan's samples with the
    /// file reused, 5.6% emptied. A failure (a reader kept it waiting past the busy timeout,
    /// another checkpoint was running) leaves it to the next commit.
    func restartWALIfLarge() {
        guard let mode = walBackfill.writerCheckpoint(bytes: walBytes) else { return }
        _ = try? writer.writeWithoutTransaction { db in try db.checkpoint(mode) }
    }

    /// Whether writes that can wait (merging the search index) should wait for the
    /// checkpointer to copy the WAL whole, so that the next one starts it over (`WALBackfill`).
    public var walAwaitsCopy: Bool { walBackfill.awaitsCopy(bytes: walBytes) }

    /// A transaction on the writer, after which the WAL is started over if it has grown past
    /// `walLimit`: for the writes that come in streams, a pass's commits and the search index's
    /// merge steps.
    func writeRestartingLargeWAL<T>(_ updates: (Database) throws -> T) throws -> T {
        defer { restartWALIfLarge() }
        return try writer.write(updates)
    }
}
