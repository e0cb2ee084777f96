import Catalogue
import NewsCore

extension Reconciler {
    /// Step 4 of a pass: reads `plan.toRead` in batches on the reader threads, up to
    /// `readAhead` batches ahead of the writer, and commits one short transaction per batch (the
    /// plan's structural operations go with the first).
    func readAndCommit(
        _ plan: ReconcilePlan, report: inout ReconcileReport,
        progress: (ReconcileReport) throws -> Void, milestone: (ReconcileMilestone) -> Void
    ) throws {
        let packed = plan.toRead
        let bounds = Reconciler.batchBounds(count: packed.count, batchSize: batchSize)
        let batchCount = bounds.count
        counters?.planned(toRead: packed.count)
        milestone(.planned(items: plan.structural.count + packed.count))
        var pending = plan.structural
        // Items of the plan waiting in `pending`: they are committed with the next transaction.
        var pendingItems = plan.structural.count
        // Batches being read, oldest first: the one the writer takes next and up to
        // `readAhead - 1` behind it, each read once the one before it is done.
        var ahead: [PendingReads] = []
        var started = 0
        // Files of the plan whose outcome is written, for `counters`.
        var filesWritten = 0
        func readAheadOfTheWriter() {
            while started < batchCount && ahead.count < max(1, readAhead) {
                ahead.append(startReading(packed.paths(bounds[started]), after: ahead.last))
                started += 1
            }
        }
        defer {
            // Never leave a read running past the return.
            for reads in ahead { reads.cancel() }
            for reads in ahead { _ = reads.wait(help: false) }
        }
        readAheadOfTheWriter()
        var index = 0
        repeat {
            var clock = Stopwatch()
            let results = ahead.isEmpty ? [] : ahead.removeFirst().wait()
            report.readWaitSeconds += clock.lap()
            let items = pendingItems + (index < batchCount ? bounds[index].count : 0)
            pendingItems = 0
            index += 1
            readAheadOfTheWriter()
            var operations = pending
            pending = []
            for (path, outcome) in results {
                report.read += outcome.wasRead ? 1 : 0
                plan.addOperations(for: path, outcome, to: &operations, unsettled: &report.unsettled)
            }
            if !operations.isEmpty { milestone(.transactionBegan(operations: operations.count)) }
            // The batch's files count as written in step with the transaction's operations.
            let (filesBefore, operationCount) = (filesWritten, max(1, operations.count))
            let changes = try database.apply(operations) { applied in
                milestone(.applied(applied))
                counters?.written(filesBefore + applied * results.count / operationCount)
            }
            filesWritten += results.count
            counters?.written(filesWritten)
            milestone(.committed(items: items))
            report.changeCount += changes.count
            report.lastChangeSeq = changes.last?.seq ?? report.lastChangeSeq
            if keepsChanges { report.changes += changes }
            report.writeSeconds += clock.lap()
            try progress(report)
        } while index < batchCount
    }
}

extension ReconcilePlan {
    /// Adds to `operations` the catalogue operations for what reading `path` found: a put, or a
    /// move when the file was renamed from a catalogued path; a vanished file removes its rows.
    func addOperations(
        for path: RelativePath, _ outcome: Reconciler.Observed, to operations: inout [CatalogOperation],
        unsettled: inout [RelativePath]
    ) {
        switch outcome {
        case .observation(var observation):
            observation.isNew = !catalogued.contains(path)
            operations.append(moves[path].map { .move(from: $0.path, to: observation) } ?? .put(observation))
        case .vanished:
            if let from = moves[path] { operations.append(.remove(from.path)) }
            if catalogued.contains(path) { operations.append(.remove(path)) }
        case .unsettled(let observation):
            unsettled.append(path)
            operations.append(moves[path].map { .move(from: $0.path, to: observation) } ?? .put(observation))
        }
    }
}
