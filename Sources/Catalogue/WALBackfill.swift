import GRDB
import Synchronization

/// Who starts the WAL over once it has passed its limit, and when: the writer between two of
/// its commits, or SQLite itself after the background checkpointer has copied all of it.
///
/// Any checkpoint syncs the WAL and the catalogue, and a RESTART checkpoint also waits for
/// every reader still on the WAL in SQLite's busy-handler sleeps (1, 2, 5, 10 ms and on). On the
/// writer, on the 256,000-article archive of `bench/archive.py`, a RESTART took 20–115 ms and a
/// PASSIVE one with at most 8 MiB left to copy still 28–31 ms, with no commit possible
/// meanwhile: a new article arriving then waited it out. SQLite starts a WAL over by itself at
/// the next write once checkpoints have copied all of it and no reader is on it. So with a
/// checkpointer that is `deferringRestarts` (the daemon's), the writer checkpoints only past
/// `ceiling`; the checkpointer looks again soon while the WAL is past its limit and not copied
/// whole (`checkpointed`), and the writes that can wait (merging the search index) wait for it
/// (`awaitsCopy`), so the next of them finds the WAL copied and starts it over at no cost.
/// Without such a checkpointer (a `newsd scan`, whose writer never pauses, so no checkpoint
/// could copy the WAL whole), the writer starts it over as soon as it is past the limit.
final class WALBackfill: Sendable {
    /// The WAL size past which it should be started over.
    let limit: Int64
    /// The size past which the writer starts it over, waiting for readers, whoever else is
    /// copying it: a checkpointer that falls behind, readers that keep old frames.
    var ceiling: Int64 { limit * 4 }

    private struct State {
        var deferringCheckpointers = 0
        /// The writer's transactions so far.
        var writes: UInt64 = 0
        /// The writes a checkpoint began after and then copied every frame of.
        var copiedThrough: UInt64?
    }
    private let state = Mutex(State())

    init(limit: Int) { self.limit = Int64(limit) }

    func checkpointerStarted(deferringRestarts: Bool) {
        if deferringRestarts { state.withLock { $0.deferringCheckpointers += 1 } }
    }

    func checkpointerStopped(deferringRestarts: Bool) {
        if deferringRestarts { state.withLock { $0.deferringCheckpointers -= 1 } }
    }

    /// The writer's transactions so far, as a checkpointer notes them before it begins.
    var writes: UInt64 { state.withLock { $0.writes } }

    /// A writer transaction ended.
    func wrote() { state.withLock { $0.writes &+= 1 } }

    /// Records a passive checkpoint that began after `writesBefore` and found the WAL
    /// `startBytes` long; true when the WAL is past the limit and not yet copied whole, so
    /// that the next pass should come soon.
    func checkpointed(writesBefore: UInt64, startBytes: Int64, walFrames: Int, copied: Int) -> Bool {
        state.withLock {
            if copied == walFrames { $0.copiedThrough = writesBefore }
            return startBytes > limit && $0.copiedThrough != $0.writes
        }
    }

    /// How the writer should checkpoint a WAL file of `bytes` after a commit; nil when it is
    /// within the limit or left to the checkpointer.
    func writerCheckpoint(bytes: Int64) -> Database.CheckpointMode? {
        guard bytes > limit else { return nil }
        return state.withLock { $0.deferringCheckpointers == 0 || bytes > ceiling ? .restart : nil }
    }

    /// Whether writes that can wait should, so that the checkpointer copies the WAL (`bytes`
    /// long) whole first: it is past the limit, a checkpointer that defers restarts runs, and
    /// the writer has written since its last complete copy.
    func awaitsCopy(bytes: Int64) -> Bool {
        guard bytes > limit else { return false }
        return state.withLock { $0.deferringCheckpointers > 0 && $0.copiedThrough != $0.writes }
    }
}

/// Counts the writer's commits for `WALBackfill` (every transaction, whichever code wrote it).
final class WALWriteCounter: TransactionObserver {
    let backfill: WALBackfill

    init(_ backfill: WALBackfill) { self.backfill = backfill }

    // No row events: SQLite's update hooks stay off.
    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidCommit(_ db: Database) { backfill.wrote() }
    func databaseDidRollback(_ db: Database) {}
}
