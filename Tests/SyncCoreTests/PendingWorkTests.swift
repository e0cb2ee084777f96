import Foundation
import Glibc
import TestSupport
import Testing

@testable import Catalogue
@testable import SyncCore

/// The accounting behind `status`'s `queue`: work leaves the count only when its
/// transaction commits, and a reconcile's milestones account for everything it commits.
@Suite struct PendingWorkTests {
    /// A pass over settled paths, step by step, as the engine publishes it: the total never
    /// drops while a transaction is open, and reaches 0 only with the last commit.
    @Test func workLeavesTheCountOnlyWhenItsTransactionCommits() {
        var pending = PendingWork()
        #expect(pending.total == 0)
        pending.settling = 700
        #expect(pending.total == 700)

        // The engine takes 700 due paths: they leave `settling` and enter the pass together.
        pending.settling = 0
        pending.passBegan(scopes: 700)
        #expect(pending.total == 700)
        // The walk found 700 files to read and a directory's 400 files gone.
        pending.planned(items: 1_100)
        #expect(pending.total == 1_100 && pending.walking == 0)

        // The first transaction: the 400 deletions and the first 64 files.
        pending.transactionBegan(operations: 464, at: 1)
        for applied in 1...464 {
            pending.applied(applied)
            #expect(pending.total == 1_100, "applied but not committed is still pending")
        }
        #expect(pending.transaction == TransactionProgress(operations: 464, applied: 464, startedAt: 1))
        pending.committed(items: 464)
        #expect(pending.total == 636 && pending.transaction == nil)

        pending.transactionBegan(operations: 636, at: 2)
        pending.applied(300)
        #expect(pending.total == 636)
        pending.committed(items: 636)
        #expect(pending.total == 0)
        pending.passEnded()
        #expect(pending == PendingWork())
    }

    /// Before its walk is done a pass counts its scopes, whatever they hold; a failed pass
    /// hands its work back as a full reconcile owed, in the same update that clears it.
    @Test func aPassCountsItsScopesUntilPlannedAndAFailedOneIsOwedAsAFullReconcile() {
        var pending = PendingWork()
        pending.passBegan(scopes: 1)
        #expect(pending.total == 1, "a directory being walked is pending before its files are known")
        pending.planned(items: 5_000)
        pending.transactionBegan(operations: 64, at: 0)
        pending.fullReconcileDue = true
        pending.passEnded()
        #expect(pending.total == 1 && pending.reconcilesWaiting == 1)
    }

    /// Every stage counts: unread events, a drain, settling paths, requested rescans.
    @Test func everyStageAddsToTheTotal() {
        var pending = PendingWork()
        pending.unreadEvents = 3
        pending.draining = 5
        pending.settling = 7
        pending.rescansRequested = 2
        pending.fullReconcileDue = true
        #expect(pending.reconcilesWaiting == 3)
        #expect(pending.total == 3 + 5 + 7 + 3)
        // A rescan leaves the count when the engine takes it (its walk counts from then on).
        pending.rescanTaken()
        pending.rescanTaken()
        pending.rescanTaken()
        #expect(pending.rescansRequested == 0 && pending.reconcilesWaiting == 1)
    }

    /// An empty kernel queue is no event; any byte is at least one.
    @Test func queuedBytesAreEstimatedAsEventsNeverZeroWhenAnyWait() {
        #expect(Inotify.estimatedEvents(queuedBytes: 0) == 0)
        #expect(Inotify.estimatedEvents(queuedBytes: 16) == 1)
        #expect(Inotify.estimatedEvents(queuedBytes: 64) == 2)
    }

    /// The inotify queue's size is readable from another descriptor holder while events wait,
    /// and reads 0 once they are read.
    @Test func theKernelQueueSizeIsSeenWithoutReadingIt() throws {
        let scratch = try Scratch("pending-fionread")
        let inotify = try Inotify()
        _ = inotify.addWatch(Array(scratch.path.utf8CString))
        #expect(Inotify.queuedBytes(fd: inotify.fd) == 0)
        try scratch.write("a.txt", "a\n")
        let waiting = try #require(Inotify.queuedBytes(fd: inotify.fd))
        #expect(waiting >= 32, "create and close-write of a.txt")
        #expect(!inotify.readAvailable().isEmpty)
        #expect(Inotify.queuedBytes(fd: inotify.fd) == 0)
    }

    /// The reconciler's milestones: the plan is exactly what its transactions commit, each
    /// transaction's operations are applied one by one before it commits.
    @Test func aReconcilesMilestonesAccountForEverythingItCommits() throws {
        var f = try ReconcilerFixture()
        for i in 0..<150 { try f.write(String(format: "d/%03d.txt", i), "article \(i)\n") }
        f.reconciler.batchSize = 32
        try f.scan()
        // Renames without a read and deletions come first, with the first batch of reads.
        for i in 0..<20 {
            rename(f.path(String(format: "d/%03d.txt", i)), f.path(String(format: "e%03d.txt", i)))
        }
        for i in 20..<50 { unlink(f.path(String(format: "d/%03d.txt", i))) }
        for i in 0..<70 { try f.write(String(format: "new/%03d.txt", i), "new article \(i)\n") }
        waitForClockTick()

        var milestones: [ReconcileMilestone] = []
        var committedAtProgress: [Int] = []
        var committed = 0
        let report = try f.reconciler.reconcile(
            [.root], progress: { _ in committedAtProgress.append(committed) },
            milestone: { milestone in
                milestones.append(milestone)
                if case .committed(let items) = milestone { committed += items }
            })
        guard case .planned(let items) = milestones.first else {
            Issue.record("the first milestone is the plan: \(milestones.prefix(3))")
            return
        }
        #expect(items == 20 + 30 + 70, "renames, deletions, new files")
        #expect(committed == items)
        #expect(committedAtProgress.last == items, "progress comes after the commit it reports")
        #expect(report.changeCount == 20 + 30 + 70)

        // Between a transaction's beginning and its commit: applied counts 1...operations.
        var open: (operations: Int, applied: Int)?
        var transactions = 0
        for milestone in milestones.dropFirst() {
            switch milestone {
            case .planned: Issue.record("one plan per pass")
            case .transactionBegan(let operations):
                #expect(open == nil)
                open = (operations, 0)
                transactions += 1
            case .applied(let applied):
                #expect(applied == (open?.applied ?? -1) + 1)
                open?.applied = applied
            case .committed:
                #expect(open.map { $0.applied == $0.operations } ?? false)
                open = nil
            }
        }
        // The structural operations go with the first batch of reads; 70 or 90 reads (a rename
        // whose stat cannot vouch for its bytes is read) make three batches of at most 32.
        #expect(transactions == 3)
    }
}
