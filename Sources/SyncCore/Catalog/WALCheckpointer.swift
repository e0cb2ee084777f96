import Dispatch
import Foundation
import GRDB
import Synchronization

/// Keeps the catalogue's WAL short without making a commit wait for it.
///
/// SQLite's automatic checkpoint runs inside the commit that takes the WAL past 1,000 pages and
/// fsyncs the main file there: one change in a hundred waits 10–20 ms for it, which would be
/// the daemon's whole p99 change latency. The daemon turns it off on the writer and calls
/// `start`: a connection of its own, on a queue of its own, copies the WAL back every
/// `interval` once it has grown past `thresholdBytes`. A PASSIVE checkpoint never takes the
/// write lock, so commits carry on meanwhile (the WAL must not grow without bound).
public final class WALCheckpointer: Sendable {
    private let database: AppDatabase
    private let thresholdBytes: Int
    private let queue = DispatchQueue(label: "newsd.checkpointer", qos: .utility)
    private let timer = Mutex<TimerBox?>(nil)

    /// A checkpointer for `database`; nothing runs until `start`.
    public init(database: AppDatabase, thresholdBytes: Int = 4 << 20) {
        self.database = database
        self.thresholdBytes = thresholdBytes
    }

    /// Turns the writer's automatic checkpoints off and starts checkpointing every `interval`.
    public func start(interval: Duration = .milliseconds(500)) throws {
        var config = Configuration()
        config.label = "newsd.checkpointer"
        config.busyMode = .timeout(1)
        let connection = try DatabaseQueue(path: database.path, configuration: config)
        try database.setAutomaticCheckpoints(false)
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let period = DispatchTimeInterval.milliseconds(Int(interval / .milliseconds(1)))
        timer.schedule(deadline: .now() + period, repeating: period)
        timer.setEventHandler { [self] in checkpointIfLarge(connection) }
        self.timer.withLock { $0 = TimerBox(source: timer) }
        timer.resume()
    }

    /// Stops the timer (waiting for a checkpoint in progress) and turns the writer's
    /// automatic checkpoints back on.
    public func stop() {
        guard let box = timer.withLock({ $0.take() }) else { return }
        box.source.cancel()
        queue.sync {}
        try? database.setAutomaticCheckpoints(true)
    }

    private func checkpointIfLarge(_ connection: DatabaseQueue) {
        var info = stat()
        guard stat(database.path + "-wal", &info) == 0, Int(info.st_size) >= thresholdBytes else { return }
        // A busy checkpointer (another checkpoint) or a reader pinning old frames only
        // defers the copy to the next tick.
        _ = try? connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
    }
}

/// A dispatch timer source: its methods are safe from any thread (libdispatch documents
/// `cancel` and `resume` as such), but the protocol is not marked Sendable.
private struct TimerBox: @unchecked Sendable {
    let source: any DispatchSourceTimer
}

extension AppDatabase {
    /// Starts the WAL over (a RESTART checkpoint on the writer) once it has grown past
    /// `walLimit`.
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
        var info = stat()
        guard stat(path + "-wal", &info) == 0, Int(info.st_size) > walLimit else { return }
        _ = try? writer.writeWithoutTransaction { db in try db.checkpoint(.restart) }
    }
}
