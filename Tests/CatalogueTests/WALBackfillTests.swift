import GRDB
import Testing

@testable import Catalogue

/// Who starts the WAL over, and when writes that can wait should wait for the checkpointer.
@Suite struct WALBackfillTests {
    let limit = 1 << 20

    @Test func withoutACheckpointerThatDefersRestartsTheWriterRestartsAtTheLimit() {
        let backfill = WALBackfill(limit: limit)
        #expect(backfill.writerCheckpoint(bytes: Int64(limit) + 1) == .restart)
        // `newsd scan`'s checkpointer does not defer them.
        backfill.checkpointerStarted(deferringRestarts: false)
        #expect(backfill.writerCheckpoint(bytes: Int64(limit) + 1) == .restart)
        backfill.wrote()
        #expect(!backfill.awaitsCopy(bytes: Int64(limit) + 1))
    }

    @Test func underACheckpointerThatDefersThemTheWriterRestartsOnlyPastTheCeiling() {
        let backfill = WALBackfill(limit: limit)
        backfill.checkpointerStarted(deferringRestarts: true)
        #expect(backfill.writerCheckpoint(bytes: Int64(limit) + 1) == nil)
        #expect(backfill.writerCheckpoint(bytes: backfill.ceiling) == nil)
        #expect(backfill.writerCheckpoint(bytes: backfill.ceiling + 1) == .restart)
        backfill.checkpointerStopped(deferringRestarts: true)
        #expect(backfill.writerCheckpoint(bytes: Int64(limit) + 1) == .restart)
    }

    @Test func writesThatCanWaitWaitUntilAPassAfterTheLastWriteCopiedEverything() {
        let backfill = WALBackfill(limit: limit)
        let large = Int64(limit) + 1
        backfill.checkpointerStarted(deferringRestarts: true)
        backfill.wrote()
        #expect(!backfill.awaitsCopy(bytes: Int64(limit)), "a WAL within its limit is left alone")
        #expect(backfill.awaitsCopy(bytes: large))
        // A pass that left frames behind (a reader on them): the next comes soon.
        var before = backfill.writes
        #expect(backfill.checkpointed(writesBefore: before, startBytes: large, walFrames: 300, copied: 200))
        #expect(backfill.awaitsCopy(bytes: large))
        // A pass that copied everything, but a commit landed after it began.
        before = backfill.writes
        backfill.wrote()
        #expect(backfill.checkpointed(writesBefore: before, startBytes: large, walFrames: 300, copied: 300))
        #expect(backfill.awaitsCopy(bytes: large))
        // A whole copy with no commit since: the next write starts the WAL over.
        before = backfill.writes
        #expect(!backfill.checkpointed(writesBefore: before, startBytes: large, walFrames: 310, copied: 310))
        #expect(!backfill.awaitsCopy(bytes: large))
        backfill.wrote()
        #expect(backfill.awaitsCopy(bytes: large))
        // Below the limit a pass never hurries.
        #expect(!backfill.checkpointed(writesBefore: 0, startBytes: Int64(limit), walFrames: 5, copied: 1))
    }
}
