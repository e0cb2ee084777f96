import Catalogue
import Dedup
import Foundation
import Glibc
import NewsCore

/// The summary of one reconcile pass.
public struct ReconcileReport: Sendable {
    /// Files whose bytes were read (and hashed) in this pass.
    public var read = 0
    /// Directories listed.
    public var directories = 0
    /// The change-log entries this pass appended, in order (empty when the reconciler does
    /// not keep them: see `Reconciler.keepsChanges`).
    public var changes: [ChangeEntry] = []
    /// How many change-log entries this pass appended.
    public var changeCount = 0
    /// The sequence number of the last of them, if any.
    var lastChangeSeq: Int64?
    /// Files that kept changing while they were read; the caller should look again later.
    var unsettled: [RelativePath] = []
    /// Directories of the pass's scopes left behind by a filesystem unmounted inside the tree,
    /// with how many catalogued files each keeps (not read as deleted).
    public var unmounted: [RelativePath: Int] = [:]
    /// The root's check, when the pass found it turned into another trusted root.
    var rootReplaced: RootCheck?
    /// Where the time went, in seconds: listing the tree, loading the catalogue's rows,
    /// reading and hashing (overlapping the writes), and waiting for the catalogue's writes.
    var walkSeconds = 0.0
    var loadSeconds = 0.0
    var readWaitSeconds = 0.0
    var writeSeconds = 0.0

    /// An empty report.
    public init() {}

    mutating func merge(_ other: ReconcileReport) {
        read += other.read
        directories += other.directories
        walkSeconds += other.walkSeconds
        loadSeconds += other.loadSeconds
        readWaitSeconds += other.readWaitSeconds
        writeSeconds += other.writeSeconds
        changes += other.changes
        changeCount += other.changeCount
        lastChangeSeq = other.lastChangeSeq ?? lastChangeSeq
        unsettled += other.unsettled
        unmounted.merge(other.unmounted) { $1 }
        rootReplaced = other.rootReplaced ?? rootReplaced
    }
}

/// Brings the catalogue in line with the filesystem for a set of subtrees.
///
/// The filesystem is the source of truth: each subtree is walked, every entry's `stat` is
/// compared with its catalogue row, only new or changed files are read, entries that are
/// gone are deleted, and an inode that turns up under a new path is a rename. The same code
/// serves the start-up scan, `newsd scan`, rescans and every batch of watched events.
struct Reconciler: Sendable {
    let tree: Tree
    let ignore: IgnoreRules
    let reader: FileReader
    let database: AppDatabase
    /// Files read and committed per transaction: short transactions keep the WAL small and
    /// let readers see progress.
    var batchSize = 512
    /// Threads that read and analyse files. One core is left to the catalogue's writer, which
    /// works through the previous batch meanwhile: on two cores, three busy threads made a
    /// cold ingest of the corpus 10.7 s against 8.2 s with two (and 16.7 s of CPU against 13).
    var readerThreads = max(1, ProcessInfo.processInfo.activeProcessorCount - 1)
    /// Batches read ahead of the writer. With one, the reader idles whenever the writer takes
    /// longer over a batch than the reader did (a quarter of the reader's time in a cold
    /// ingest of the corpus) and the writer reads itself whenever it is quicker; with two,
    /// the reader gets ahead while it is quicker and stays there. One by default: a second
    /// batch of analysed texts in memory raised the daemon's peak on the corpus from 46.8 to
    /// 50.5 MiB; `newsd scan`, which has no resident budget, reads two ahead (`Scanner`).
    var readAhead = 1
    /// Whether text files are analysed as they are read. `newsd scan --defer-analysis` turns
    /// it off: the bytes, duplicates and change log are catalogued at hashing speed, and the
    /// contents wait for `AnalysisBackfill` (the next daemon start or full scan).
    var analyse = true
    /// Whether reports carry every `ChangeEntry` of the pass. The daemon and `newsd scan` need
    /// only the count and the last sequence number; a start-up pass over 100,000 new files
    /// kept ~15 MB of entries to the end.
    var keepsChanges = true
    /// Where a pass over the whole tree counts its progress as it goes, for a progress line or
    /// `status` to show (`ScanCounters`: the owner begins and ends the count around the pass).
    var counters: ScanCounters?

    /// Creates a reconciler.
    init(tree: Tree, ignore: IgnoreRules, reader: FileReader, database: AppDatabase) {
        self.tree = tree
        self.ignore = ignore
        self.reader = reader
        self.database = database
    }

    /// Reconciles each subtree in `scopes` (a path that is a file, a directory, or gone).
    ///
    /// Before anything may be read as deleted, the root must be trusted (`checkRoot`), a pass
    /// over the whole tree must not empty the catalogue because it found the root empty (a
    /// start-up, a resume or a periodic pass has no event to vouch for the deletes), and files of a
    /// filesystem that is no longer mounted inside the tree are kept (`unmountedSubtrees`);
    /// `acceptingRoot` takes the tree as it is instead (`newsctl rescan --accept-root`).
    ///
    /// `beforeListing` runs before each directory is listed (the watcher adds its watch there);
    /// `progress` after each committed transaction (throwing from it stops the pass there:
    /// what was committed stays committed); `milestone` when the plan is made and as each
    /// transaction begins, applies an operation and commits.
    func reconcile(
        _ scopes: [RelativePath],
        acceptingRoot: Bool = false,
        beforeListing: (RelativePath) -> Void = { _ in },
        progress: (ReconcileReport) throws -> Void = { _ in },
        milestone: (ReconcileMilestone) -> Void = { _ in }
    ) throws -> ReconcileReport {
        let root = try checkRoot(accepting: acceptingRoot)
        let scopes = Reconciler.outermost(scopes)
        var report = ReconcileReport()
        report.rootReplaced = root.replaced == nil ? nil : root

        // 1. The filesystem beside the catalogue, scope by scope: what is new, changed or gone.
        var survey = try survey(scopes, beforeListing: beforeListing, report: &report)
        report.directories = survey.directories
        try addHardLinkSiblings(to: &survey, scopes: scopes)
        // 2. What is gone and may be read as deleted (`keepWhatIsUnknown`).
        let errorRows = try keepWhatIsUnknown(
            in: &survey, root: root, scopes: scopes, acceptingRoot: acceptingRoot, report: &report)
        // 3. The plan: renames, the changes that need no read, and the files to read.
        let plan = ReconcilePlan(consuming: &survey, errorRows: errorRows)
        // 4. Read what must be read, in parallel and ahead of the writer, committing one short
        //    transaction per batch.
        try readAndCommit(plan, report: &report, progress: progress, milestone: milestone)
        return report
    }

    enum Observed: Sendable {
        case observation(FileObservation)
        case vanished
        /// Kept changing while it was read: recorded as an error until it settles.
        case unsettled(FileObservation)

        var wasRead: Bool {
            switch self {
            case .observation(let o): if case .bytes = o.content { return true }
            case .unsettled, .vanished: break
            }
            return false
        }
    }

    /// Starts reading `paths` on the worker pool once `previous` is read; `wait()` returns the
    /// outcomes in order.
    func startReading(_ paths: [RelativePath], after previous: PendingReads?) -> PendingReads {
        let reconciler = self
        return PendingReads(paths: paths, workers: readerThreads, after: previous) { path in
            defer { reconciler.counters?.fileRead() }
            return reconciler.observe(path)
        }
    }

    /// Reads one file (retrying a file that is being written) and says what it is.
    func observe(_ path: RelativePath) -> Observed {
        let cPath = tree.cPath(path)
        var attempts = 0
        while true {
            let verified = wallClockNanoseconds()
            switch reader.read(cPath) {
            case .read(let stat, let content):
                let problem = content.problem
                return .observation(
                    FileObservation(
                        path: path, stat: stat, state: problem == nil ? .ok : .error, reason: problem?.reason,
                        content: .bytes(
                            sha256: content.sha256, size: content.size, isText: content.text != nil,
                            analysis: analyse
                                ? content.text.map {
                                    ContentAnalysis(
                                        text: $0, knownChrome: database.knownChrome.snapshot,
                                        wholeTextKey: content.wholeTextKey)
                                } : nil),
                        verifiedNanoseconds: verified))
            case .notRegular(let stat):
                return .observation(
                    FileObservation(
                        path: path, stat: stat, state: .skipped, reason: stat.kind.skipReason,
                        content: .unreadable,
                        verifiedNanoseconds: verified))
            case .vanished:
                return .vanished
            case .failed(let error):
                guard case .success(let stat) = FileStat.lstat(cPath) else { return .vanished }
                return .observation(
                    FileObservation(
                        path: path, stat: stat, state: .error, reason: error.description,
                        content: .unreadable,
                        verifiedNanoseconds: verified))
            case .changedWhileReading:
                attempts += 1
                if attempts < 3 { continue }
                guard case .success(let stat) = FileStat.lstat(cPath) else { return .vanished }
                return .unsettled(
                    FileObservation(
                        path: path, stat: stat, state: .error,
                        reason: "changed while being read; will be read again",
                        content: .unreadable, verifiedNanoseconds: 0))
            }
        }
    }

    /// The batches of a pass over `count` files: the first of `firstBatchSize`, each next one
    /// twice the one before, up to `batchSize`. The writer can start once the first batch is
    /// read: in cold scans of the corpus with batches of 1,024 its waits for reads came to
    /// 0.18 s (median of five) with a full first batch, 0.11 s with this ramp.
    static func batchBounds(count: Int, batchSize: Int) -> [Range<Int>] {
        let largest = max(1, batchSize)
        var bounds: [Range<Int>] = []
        var start = 0
        var size = min(largest, firstBatchSize)
        while start < count {
            let end = min(count, start + size)
            bounds.append(start..<end)
            start = end
            size = min(largest, size * 2)
        }
        return bounds
    }

    /// Files in the first batch of a pass (see `batchBounds`).
    static let firstBatchSize = 64

    /// Drops scopes that lie inside another scope: each is kept unless one of its ancestors is
    /// (shorter paths first, so an ancestor is decided before what lies below it).
    static func outermost(_ scopes: [RelativePath]) -> [RelativePath] {
        var kept: Set<RelativePath> = []
        var result: [RelativePath] = []
        for scope in Set(scopes).sorted(by: { $0.bytes.count < $1.bytes.count }) {
            var ancestor = scope
            var covered = kept.contains(.root)
            while !covered && !ancestor.isRoot {
                ancestor = ancestor.parent
                covered = kept.contains(ancestor)
            }
            if !covered {
                kept.insert(scope)
                result.append(scope)
            }
        }
        return result
    }
}

/// A batch of reads that runs while the previous batch is written.
///
/// The reader threads take the next unread path as they finish one (`ClaimedWork`); the
/// writer, when it comes for the batch before the readers are done, takes paths too instead of
/// waiting. On two cores (one reader thread, one writer) the writer otherwise sat idle for
/// 1.2 s of a cold ingest of the corpus while the reader finished its batch. The outputs are
/// read only after every worker has left the dispatch group.
final class PendingReads: Sendable {
    private let reads: ClaimedWork<RelativePath, Reconciler.Observed>
    private let observe: @Sendable (RelativePath) -> Reconciler.Observed
    private let group = DispatchGroup()

    /// Reads `paths` on `workers` threads, started once every read of `previous` is done (so
    /// that batches read ahead of the writer never take more than `workers` threads).
    init(
        paths: [RelativePath], workers: Int, after previous: PendingReads?,
        observe: @escaping @Sendable (RelativePath) -> Reconciler.Observed
    ) {
        reads = ClaimedWork(paths)
        self.observe = observe
        let workers = max(1, min(workers, paths.count))
        // Entered now, not when the workers start: a `wait` before they start must wait for them.
        for _ in 0..<workers { group.enter() }
        let start = { @Sendable [self] in
            for _ in 0..<workers {
                DispatchQueue.global().async { [self] in
                    reads.work(observe)
                    group.leave()
                }
            }
        }
        if let previous {
            previous.group.notify(queue: .global(), execute: start)
        } else {
            start()
        }
    }

    /// Leaves the paths nobody has claimed yet unread (the pass is ending early).
    func cancel() {
        reads.cancel()
    }

    /// Helps read what is left (unless `help` is false), then returns every outcome in order.
    func wait(help: Bool = true) -> [(RelativePath, Reconciler.Observed)] {
        if help { reads.work(observe) }
        group.wait()
        return zip(reads.inputs, reads.outputs()).compactMap { path, outcome in outcome.map { (path, $0) } }
    }
}

/// Elapsed wall time between laps.
struct Stopwatch {
    private var last = DispatchTime.now().uptimeNanoseconds

    /// Seconds since the previous lap (or the start).
    mutating func lap() -> Double {
        let now = DispatchTime.now().uptimeNanoseconds
        defer { last = now }
        return Double(now - last) / 1e9
    }
}
