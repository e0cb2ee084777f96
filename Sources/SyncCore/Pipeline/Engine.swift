import Catalogue
import Foundation
import Glibc
import Logging
import NewsCore
import TextAnalysis

/// Hooks through which the engine tells the service manager how it is doing (sd_notify).
public protocol EngineNotifier: Sendable {
    /// The start-up scan is done: the daemon serves.
    func ready(status: String)
    /// A one-line status for `systemctl status`.
    func status(_ text: String)
    /// The pipeline made progress (the watchdog keep-alive).
    func watchdog()
    /// How often `watchdog()` must be called, if at all.
    var watchdogInterval: Duration? { get }
    /// The start-up scan needs longer than the service manager's start timeout allows.
    func extendStartTimeout(by duration: Duration)
}

/// The daemon's pipeline on one dedicated thread: watch → coalesce → reconcile → commit.
///
/// It owns the watcher, the coalescer and every piece of scheduling state; the rest of the
/// process reaches it through its `EngineHub`. A dedicated thread (rather than a task) lets
/// it block in `poll(2)` on the inotify descriptor and its wake-up eventfd with a precise
/// timeout, never waking when there is nothing to do, and run the synchronous reconciler.
public final class Engine {
    let settings: Settings
    let engineSettings: EngineSettings
    let hub: EngineHub
    let logger: Logger
    let notifier: any EngineNotifier
    let reconciler: Reconciler

    private var watcher: DirectoryWatcher?
    private var coalescer: Coalescer
    /// The root's trust, the polled directories and the unmounted mount points.
    private var footing: TreeFooting
    /// The mount table, polled for mounts and unmounts at or under the root.
    private let mountTable = MountTable()
    /// Where the engine is in its life; changed only by `transition(on:)`.
    private(set) var state: EngineState = .starting
    /// Why a full reconcile is owed, if one is (an overflow, a failed commit, the root back).
    private var fullScanReason: String?
    private var fullScanRequested: Bool { fullScanReason != nil }
    private var nextPeriodicReconcile: UInt64 = 0
    private var keepAlive: KeepAlivePacer
    private var retryNotBefore: UInt64 = 0
    private var warnings = EngineWarnings()
    private var overflows = 0
    private var lastFullScan: Date?
    /// READY=1 has been sent (the start-up scan is done).
    private var isReady = false
    private var searchMerge: SearchMergeSchedule
    private var backfill: BackfillDriver
    /// The transaction in flight, for its progress lines in the log.
    private var transaction: TransactionProgress?
    /// When the transaction in flight may log its progress next.
    private var nextTransactionLog: UInt64 = 0

    /// Creates an engine over an opened catalogue. Call `run()` on a dedicated thread.
    public init(
        settings: Settings, engineSettings: EngineSettings, database: AppDatabase, hub: EngineHub,
        logger: Logger,
        notifier: any EngineNotifier
    ) {
        self.settings = settings
        self.engineSettings = engineSettings
        self.hub = hub
        self.logger = logger
        self.notifier = notifier
        var reconciler = Reconciler(
            tree: settings.tree, ignore: settings.ignore, reader: FileReader(sizeLimit: settings.sizeLimit),
            database: database)
        reconciler.keepsChanges = false
        reconciler.counters = hub.scanCounters
        self.reconciler = reconciler
        self.coalescer = Coalescer(timing: engineSettings.coalescerTiming)
        self.footing = TreeFooting(pollInterval: engineSettings.pollInterval.inNanoseconds)
        self.keepAlive = KeepAlivePacer(watchdogInterval: notifier.watchdogInterval)
        self.searchMerge = SearchMergeSchedule(idle: engineSettings.searchMergeIdle.inNanoseconds)
        self.backfill = BackfillDriver(
            backfill: AnalysisBackfill(tree: settings.tree, reader: reconciler.reader, database: database),
            logger: logger)
    }

    /// Moves the engine to the state `event` leads to; false (and logged) when the event is
    /// impossible in the current state, which then stays as it is.
    @discardableResult
    private func transition(on event: EngineEvent) -> Bool {
        guard let next = state.next(on: event) else {
            logger.log(
                level: event.isRequest ? .debug : .error, "engine transition refused",
                metadata: ["state": "\(state)", "event": "\(event)"])
            return false
        }
        if next != state {
            logger.debug("engine state", metadata: ["from": "\(state)", "to": "\(next)"])
            state = next
        }
        return true
    }

    /// What keeps the engine from following the tree as it should, as it is now.
    private var health: DegradedCauses {
        var causes = footing.causes
        if warnings[.catalogue] != nil { causes.insert(.catalogueFailing) }
        return causes
    }

    /// Runs until a `stop` command: start watching, reconcile, then follow the tree.
    public func run() {
        hub.updateStatus {
            $0.state = .starting
            $0.watchLimit = Inotify.maxUserWatches
            $0.lastSeq = (try? reconciler.database.keptSummary().lastSeq) ?? 0
        }
        do {
            watcher = try DirectoryWatcher(tree: settings.tree, ignore: settings.ignore)
        } catch {
            footing.poll(.root)
            warn(.inotifyUnavailable(error: error.message, pollSeconds: footing.pollSeconds))
        }
        hub.watchQueue(watcher?.fd)
        _ = footing.mountTableListed(mountTable?.mountPoints(within: settings.tree) ?? [])
        checkFilesystemType()
        scheduleNextPeriodicReconcile()
        // Watch first, then scan (the walk adds each watch before listing its directory):
        // nothing created during the scan is missed, and changes made while the daemon was
        // down are found.
        fullReconcile(reason: "start-up")
        let backfillPending = backfill.startIfNeeded()
        if backfillPending > 0 { hub.updateStatus { $0.backfillRemaining = backfillPending } }
        publishStatus()
        notifier.ready(status: statusLine())
        isReady = true
        // What an earlier run or `newsd scan` left unmerged is merged once idle, as after a
        // commit: a start on an unchanged tree otherwise never merges it, and the first few
        // dozen single-file commits then meet FTS5's crisis merge inside one of them (300 ms).
        scheduleSearchMerge()
        logger.info(
            "ready",
            metadata: [
                "root": "\(settings.tree.root)", "watches": "\(watcher?.watchCount ?? 0)",
                "state": "\(hub.status.state.rawValue)",
            ])
        // After READY: a start on an unchanged tree is not held up by them, and the first new
        // article then costs what every other does. A failure only defers the load to that
        // article.
        TextAnalyzer.warmUp()
        do {
            try reconciler.database.loadCandidateIndex()
            logger.debug(
                "near-duplicate index loaded", metadata: ["form": "\(reconciler.database.candidateIndexForm)"]
            )
        } catch {
            logger.warning(
                "cannot load the near-duplicate index yet; it loads with the next new article",
                metadata: ["error": "\(error)"])
        }

        while !state.isStopping {
            let mountsChanged = waitForInput()
            handleCommands()
            if state.isStopping { break }
            drainWatcher()
            if mountsChanged { noteMountChanges() }
            doDueWork()
            sendKeepAlives()
        }
        hub.updateStatus { $0.state = state.reported }
        // The descriptor closes with the watcher: `status` must stop asking about it first.
        hub.watchQueue(nil)
        hub.close()
        hub.finishSubscribers()
        // After the last commit, on this thread (a write that blocks).
        do {
            try reconciler.database.saveCandidateIndex()
        } catch {
            // The next start rebuilds the file from the catalogue: slower, nothing lost.
            logger.warning("cannot mark the candidate index file clean", metadata: ["error": "\(error)"])
        }
        logger.info("engine stopped", metadata: ["queued": "\(coalescer.count)"])
    }

    // MARK: waiting

    /// Waits for an event, a command or the next deadline; true when the mount table changed.
    private func waitForInput() -> Bool {
        let now = monotonicNanoseconds()
        var deadline = nextPeriodicReconcile
        if let next = coalescer.nextDeadline, !state.isPaused {
            deadline = min(deadline, max(next, retryNotBefore))
        }
        if fullScanRequested || backfill.hasWork {
            deadline = min(deadline, max(now, retryNotBefore))
        }
        if let next = footing.pollDeadline { deadline = min(deadline, next) }
        if let next = keepAlive.deadline { deadline = min(deadline, next) }
        if let due = searchMerge.due { deadline = min(deadline, due) }
        let timeoutMs = deadline <= now ? 0 : Int32(clamping: (deadline - now + 999_999) / 1_000_000)
        var fds = [pollfd(fd: hub.wakeFD, events: Int16(POLLIN), revents: 0)]
        if let mountTable { fds.append(pollfd(fd: mountTable.fd, events: Int16(POLLPRI), revents: 0)) }
        if let watcher { fds.append(pollfd(fd: watcher.fd, events: Int16(POLLIN), revents: 0)) }
        guard poll(&fds, nfds_t(fds.count), timeoutMs) > 0, mountTable != nil else { return false }
        return fds[1].revents & Int16(POLLPRI | POLLERR) != 0
    }

    // MARK: commands

    private func handleCommands() {
        for command in hub.takeCommands() {
            switch command {
            case .stop:
                transition(on: .stopRequested)
            case .pause:
                if transition(on: .pauseRequested) {
                    coalescer.removeAll()
                    logger.info("paused")
                }
            case .resume:
                if transition(on: .resumeRequested(health: health)) {
                    logger.info("resumed; reconciling what changed meanwhile")
                    fullReconcile(reason: "resume")
                }
            case .rescan(let acceptingRoot, let progress, let done):
                if state.isStopping {
                    hub.rescanRefused()
                    done?(.failure(.stopping))
                    continue
                }
                let report = fullReconcile(
                    reason: acceptingRoot ? "requested, accepting the root as it is" : "requested",
                    progress: progress, requested: true, acceptingRoot: acceptingRoot)
                if let report {
                    done?(.success(report))
                } else {
                    done?(.failure(currentFailure()))
                }
            case .sync(let done):
                done(sync())
            }
        }
        publishStatus()
    }

    private func currentFailure() -> EngineError {
        if state.isStopping { return .stopping }
        if let problem = footing.rootProblem { return .rootUnavailable("\(problem); \(problem.remedy)") }
        return .failed(warnings[.catalogue]?.message ?? "the reconcile failed; see the daemon's log")
    }

    /// Drains the kernel's queue and commits everything pending, ignoring settle times.
    private func sync() -> Result<Int64, EngineError> {
        if state.isPaused { return .failure(.paused) }
        if state.isStopping { return .failure(.stopping) }
        drainWatcher()
        if footing.rootProblem != nil { return .failure(currentFailure()) }
        if fullScanRequested {
            guard fullReconcile(reason: "sync") != nil else { return .failure(currentFailure()) }
        }
        let scopes = coalescer.takeAll()
        if !scopes.isEmpty {
            guard reconcile(scopes) != nil else { return .failure(currentFailure()) }
        }
        return .success(hub.status.lastSeq)
    }

    // MARK: events

    private func drainWatcher() {
        // What is read is counted as being drained until the update at the end says where it
        // went (the coalescer, or a full reconcile due): `status` sees it all along.
        guard let watcher, let bytes = hub.drainBegins() else { return }
        defer { publishPending { $0.draining = 0 } }
        let now = monotonicNanoseconds()
        for signal in watcher.drain(limit: bytes) {
            switch signal {
            case .changed(let path, let awaitingClose):
                if !state.isPaused { coalescer.note(path, at: now, awaitingClose: awaitingClose) }
            case .moved(let from, let to):
                if !state.isPaused { coalescer.link(from, to) }
            case .overflow:
                overflows += 1
                fullScanReason = "inotify queue overflow"
                warn(.overflow(count: overflows, maxQueuedEvents: Inotify.maxQueuedEvents, at: Date()))
            case .rootLost:
                checkRoot()
            }
        }
    }

    // MARK: work

    private func doDueWork() {
        let now = monotonicNanoseconds()
        if footing.rootProblem != nil {
            if now >= footing.nextPoll { checkRoot() }
            return
        }
        if state.isPaused || now < retryNotBefore { return }
        if fullScanRequested || now >= nextPeriodicReconcile {
            let reason = fullScanReason ?? "periodic safety net"
            fullReconcile(reason: reason)
            scheduleNextPeriodicReconcile()
            return
        }
        let scopes = coalescer.takeDue(at: now) + footing.takeDueScopes(now: now)
        if !scopes.isEmpty {
            reconcile(scopes)
        } else if backfill.hasWork {
            backfillStep()
        } else if searchMerge.isDue(at: now), coalescer.count == 0 || searchMerge.crowded {
            let settling = coalescer.nextDeadline.map { $0 > now ? $0 - now : 0 }
            searchMerge.step(reconciler.database, at: now, settling: settling, logger: logger)
        }
    }

    /// Changes were committed (or an earlier run may have left the index unmerged): merging
    /// the search index is due after a quiet spell, or between events from now on when a level
    /// of it is crowded.
    private func scheduleSearchMerge() {
        let busiest = (try? reconciler.database.searchIndexBusiestLevel()) ?? 0
        searchMerge.noteChanges(at: monotonicNanoseconds(), busiestLevel: busiest)
    }

    /// One step of the analysis backfill, or of analysing again what a changed chrome verdict
    /// queued.
    private func backfillStep() {
        switch backfill.step() {
        case .idle, .reanalysed:
            break
        case .advanced(let remaining, let statusLine):
            hub.updateStatus { $0.backfillRemaining = remaining }
            notifier.status(statusLine)
        case .finished:
            hub.updateStatus { $0.backfillRemaining = 0 }
        case .failed(let warning):
            warn(warning)
        }
    }

    /// Reconciles the whole tree; `nil` when it failed (root missing, catalogue error).
    /// `requested`: it is a `rescan` request's, which counted as pending until now.
    @discardableResult
    private func fullReconcile(
        reason: String, progress: (@Sendable (ReconcileReport) -> Void)? = nil, requested: Bool = false,
        acceptingRoot: Bool = false
    )
        -> ReconcileReport?
    {
        fullScanReason = nil
        coalescer.removeAll()
        transition(on: .scanBegan)
        let started = monotonicNanoseconds()
        hub.scanCounters.begin()
        // The paths that were settling, the reconcile that was due or asked for: all of it is
        // now the walk of the root, in one update.
        publishStatus { pending in
            pending.passBegan(scopes: 1)
            if requested { pending.rescanTaken() }
        }
        notifier.status("scanning \(settings.tree.root) (\(reason))")
        // Why it scans stays up a moment before the progress takes its place.
        keepAlive.holdStatusLine(from: started)
        let report = reconcile([.root], progress: progress, acceptingRoot: acceptingRoot)
        if let report {
            if let problem = footing.rootTrusted() {
                // Only an accepted pass gets here with the root not trusted before it.
                logger.warning(
                    "the root is taken as it is",
                    metadata: ["root": "\(settings.tree.root)", "was": "\(problem)"])
                clearWarning(.root)
            }
            lastFullScan = Date()
            logger.info(
                "full reconcile done",
                metadata: [
                    "reason": "\(reason)", "read": "\(report.read)", "changes": "\(report.changeCount)",
                    "directories": "\(report.directories)",
                    "seconds": "\(Double(monotonicNanoseconds() - started) / 1e9)",
                ])
        }
        hub.scanCounters.end()
        transition(on: .scanEnded(health: health))
        publishStatus()
        notifier.status(statusLine())
        return report
    }

    /// Reconciles `scopes` (already taken from the coalescer), committing as it goes; `nil`
    /// when it failed.
    @discardableResult
    private func reconcile(
        _ scopes: [RelativePath], progress: (@Sendable (ReconcileReport) -> Void)? = nil,
        acceptingRoot: Bool = false
    )
        -> ReconcileReport?
    {
        // The scopes leave the coalescer's count and enter the pass's in this one update; the
        // pass's count is cleared at the end in the same update that hands back what it left
        // (paths to look at again, a full reconcile owed).
        publishPending { $0.passBegan(scopes: scopes.count) }
        defer { publishPending { $0.passEnded() } }
        do {
            let report = try reconciler.reconcile(
                scopes,
                acceptingRoot: acceptingRoot,
                beforeListing: { directory in
                    self.watchDirectory(directory)
                    // A long walk's progress reaches the status line too (at most once a second).
                    self.sendKeepAlives()
                },
                progress: { step in
                    if !self.isReady { self.notifier.extendStartTimeout(by: .seconds(30)) }
                    self.hub.publish(lastSeq: step.lastChangeSeq ?? self.hub.status.lastSeq)
                    progress?(step)
                    self.sendKeepAlives()
                    // Keep the kernel's queue short during a long pass.
                    self.drainWatcher()
                    if self.hub.stopRequested.load(ordering: .acquiring) { throw CancellationError() }
                },
                milestone: { self.track($0) })
            watcher?.settle(scopes)
            noteRootReplaced(report.rootReplaced)
            noteUnmounted(report.unmounted, within: scopes, accepted: acceptingRoot)
            logger.debug(
                "reconciled",
                metadata: [
                    "scopes": "\(scopes.count)", "read": "\(report.read)",
                    "changes": "\(report.changeCount)",
                    "load_ms": "\(Int(report.loadSeconds * 1000))",
                    "walk_ms": "\(Int(report.walkSeconds * 1000))",
                    "read_wait_ms": "\(Int(report.readWaitSeconds * 1000))",
                    "write_ms": "\(Int(report.writeSeconds * 1000))",
                ])
            let now = monotonicNanoseconds()
            for path in report.unsettled { coalescer.note(path, at: now) }
            if let last = report.lastChangeSeq { hub.publish(lastSeq: last) }
            // Whatever asked for the pass (events, `sync`, a rescan): a bulk committed by a
            // `sync` left the index as crowded as one committed by events.
            if report.changeCount > 0 { scheduleSearchMerge() }
            clearWarning(.catalogue)
            return report
        } catch is CancellationError {
            transition(on: .stopRequested)
            return nil
        } catch let error as RootUnavailable {
            rootLost(error)
            return nil
        } catch {
            fullScanReason = "retry after a catalogue error"
            if let reason = CatalogDamage.reason(error) {
                // Found damaged while running (pages the start-up check did not read, or damage
                // since): what can be read is still served, but nothing can be recorded, and only
                // a rebuild helps; retried now and then in case it was a passing read error.
                let remedy =
                    "stop newsd and start it once with `newsd run --rebuild-damaged-catalogue` (the damaged "
                    + "file is kept; consumers resync from scratch)"
                if warnings[.catalogue] == nil {
                    logger.error(
                        "the catalogue is damaged", metadata: ["reason": "\(reason)", "remedy": "\(remedy)"])
                }
                warn(.catalogueDamaged(reason: "\(reason)", remedy: remedy))
                retryNotBefore = monotonicNanoseconds() + 12 * engineSettings.pollInterval.inNanoseconds
                return nil
            }
            // The catalogue could not be written (disk full, I/O error): keep the events' effect
            // by reconciling everything once it works again.
            warn(.catalogueUnwritable(error: "\(error)"))
            retryNotBefore = monotonicNanoseconds() + engineSettings.pollInterval.inNanoseconds
            return nil
        }
    }

    /// The hook the walk calls before listing each directory: watch it first.
    private func watchDirectory(_ directory: RelativePath) {
        guard let watcher else { return }
        guard let error = watcher.watch(directory) else {
            let (wasPolled, last) = footing.watched(directory)
            if wasPolled {
                logger.info("watching again", metadata: ["directory": "\(directory.display)"])
                if last { clearWarning(.watchLimit) }
            }
            return
        }
        let first = footing.poll(directory)
        if error.code == ENOSPC || error.code == ENOMEM {
            let limit = Inotify.maxUserWatches.map(String.init) ?? "unknown"
            if first {
                logger.error(
                    "inotify watch limit reached; polling instead",
                    metadata: [
                        "directory": "\(directory.display)", "fs.inotify.max_user_watches": "\(limit)",
                        "fix": "sysctl -w fs.inotify.max_user_watches=<larger>",
                    ])
            }
            warn(
                .watchLimit(
                    maxUserWatches: limit, polled: footing.polled.count, pollSeconds: footing.pollSeconds))
        } else {
            logger.warning(
                "cannot watch a directory; polling it instead",
                metadata: ["directory": "\(directory.display)", "error": "\(error)"])
            warn(.unwatchable(directory, error: "\(error)"))
        }
    }

    // MARK: the root

    /// Looks at the root after its watch reported it gone, the mount table changed, or a poll
    /// while it is not trusted: once it can be trusted again, the whole tree is reconciled.
    private func checkRoot() {
        do {
            let check = try reconciler.checkRoot()
            if case .emptied = footing.rootProblem?.cause, !reconciler.rootHasEntries() {
                footing.lookAtRootAgain(now: monotonicNanoseconds())
                return
            }
            noteRootReplaced(check)
            if let problem = footing.rootTrusted() {
                clearWarning(.root)
                logger.info(
                    "the watched root can be trusted again; reconciling",
                    metadata: ["root": "\(settings.tree.root)", "was": "\(problem)"])
                checkFilesystemType()
            }
            // The root's watch was lost (or the root was replaced): re-watch and reconcile.
            fullScanReason = "the root's watch or mount changed"
        } catch let error as RootUnavailable {
            rootLost(error)
        } catch {
            warn(.rootIdentityUnreadable(error: "\(error)"))
            footing.lookAtRootAgain(now: monotonicNanoseconds())
        }
    }

    /// The root is not trusted: the catalogue is kept as it is, watches are dropped, and the
    /// root is polled (and looked at whenever the mount table changes) until it can be.
    private func rootLost(_ error: RootUnavailable) {
        let loss = footing.rootUnavailable(error, now: monotonicNanoseconds())
        guard loss != .unchanged else { return }
        if loss == .first {
            coalescer.removeAll()
            watcher?.unwatchAll()
        }
        logger.error(
            "the watched root cannot be trusted; keeping the catalogue and waiting",
            metadata: ["root": "\(settings.tree.root)", "cause": "\(error)", "remedy": "\(error.remedy)"])
        warn(.rootUntrusted(error))
    }

    /// A check found the root turned into another directory or filesystem, which it trusted.
    private func noteRootReplaced(_ check: RootCheck?) {
        guard let check, let before = check.replaced else { return }
        logger.warning(
            "the watched root is another directory or filesystem than before; what it holds is catalogued",
            metadata: ["root": "\(settings.tree.root)", "before": "\(before)", "now": "\(check.identity)"])
    }

    /// Keeps the mount points a pass over `scopes` found left behind by an unmount (polled and
    /// warned about) and lets go of those it found mounted again or removed.
    private func noteUnmounted(_ found: [RelativePath: Int], within scopes: [RelativePath], accepted: Bool) {
        let changes = footing.passFound(
            unmounted: found, within: scopes, accepted: accepted, now: monotonicNanoseconds())
        for directory in changes.settled {
            clearWarning(.unmounted(directory))
            logger.info(
                "a mount point inside the tree is settled again",
                metadata: ["directory": "\(settings.tree.absoluteDisplay(directory))"])
        }
        for directory in changes.new {
            logger.error(
                "a filesystem mounted inside the tree was unmounted; keeping its catalogued files",
                metadata: [
                    "directory": "\(settings.tree.absoluteDisplay(directory))",
                    "files": "\(found[directory] ?? 0)",
                ])
        }
        for (directory, files) in found {
            warn(
                .unmounted(
                    directory, absolute: settings.tree.absoluteDisplay(directory), files: files,
                    pollSeconds: footing.pollSeconds))
        }
    }

    /// The mount table changed: a filesystem mounted or unmounted at the root is looked at now,
    /// one at or under a directory of the tree is reconciled there (inotify reports neither a
    /// mount nor what it covers).
    private func noteMountChanges() {
        guard let mountTable else { return }
        let changed = footing.mountTableListed(mountTable.mountPoints(within: settings.tree))
        if changed.contains(.root) || footing.rootProblem != nil {
            checkRoot()
        }
        guard footing.rootProblem == nil, !state.isPaused else { return }
        let time = monotonicNanoseconds()
        for path in changed where !path.isRoot {
            logger.info(
                "the mount table changed inside the tree",
                metadata: ["path": "\(settings.tree.absoluteDisplay(path))"])
            coalescer.note(path, at: time)
        }
    }

    /// Remote and FUSE filesystems do not report changes made elsewhere (inotify sees only
    /// the local kernel's writes): poll them, visibly.
    private func checkFilesystemType() {
        if let name = RemoteFilesystem.name(at: settings.tree.cPath(.root)) {
            footing.poll(.root)
            warn(.remoteFilesystem(name: name, pollSeconds: footing.pollSeconds))
        }
    }

    // MARK: status

    private func scheduleNextPeriodicReconcile() {
        let interval = Double(engineSettings.reconcileInterval.inNanoseconds)
        let jittered = UInt64(interval * Double.random(in: 0.75...1.25))
        nextPeriodicReconcile = monotonicNanoseconds() + jittered
    }

    private func warn(_ warning: EngineWarning) {
        let (changed, first) = warnings.set(warning)
        guard changed else { return }
        if first {
            logger.warning(
                "warning", metadata: ["topic": "\(warning.topic.key)", "detail": "\(warning.message)"])
        }
        publishStatus()
    }

    private func clearWarning(_ topic: EngineWarning.Topic) {
        if warnings.clear(topic) { publishStatus() }
    }

    /// Publishes where the pending work is: the coalescer's paths and a full reconcile owed,
    /// with `change` (a pass's progress) in the same update.
    private func publishPending(_ change: (inout PendingWork) -> Void = { _ in }) {
        hub.updateStatus { handOver(to: &$0.pending, change) }
    }

    /// The engine's own share of the pending work, and `change`, written into `pending`.
    private func handOver(to pending: inout PendingWork, _ change: (inout PendingWork) -> Void) {
        pending.settling = coalescer.count
        pending.fullReconcileDue = fullScanRequested
        change(&pending)
    }

    /// Counts a pass's milestones into the published pending work, and logs a long
    /// transaction's progress at most once a second.
    private func track(_ milestone: ReconcileMilestone) {
        switch milestone {
        case .planned(let items):
            hub.updateStatus { $0.pending.planned(items: items) }
        case .transactionBegan(let operations):
            let now = monotonicNanoseconds()
            transaction = TransactionProgress(operations: operations, applied: 0, startedAt: now)
            nextTransactionLog = now + Self.transactionLogInterval
            hub.updateStatus { $0.pending.transactionBegan(operations: operations, at: now) }
        case .applied(let applied):
            hub.updateStatus { $0.pending.applied(applied) }
            transaction?.applied = applied
            let now = monotonicNanoseconds()
            if now >= nextTransactionLog, let transaction {
                nextTransactionLog = now + Self.transactionLogInterval
                logTransaction("transaction in progress", transaction, at: now)
            }
        case .committed(let items):
            hub.updateStatus { $0.pending.committed(items: items) }
            let now = monotonicNanoseconds()
            if let transaction, now - transaction.startedAt >= Self.transactionLogInterval {
                logTransaction("long transaction committed", transaction, at: now)
            }
            transaction = nil
        }
    }

    /// A long transaction's progress lines: often enough to see it move, never one per file.
    static let transactionLogInterval: UInt64 = 1_000_000_000

    private func logTransaction(_ message: Logger.Message, _ transaction: TransactionProgress, at now: UInt64)
    {
        logger.debug(
            message,
            metadata: [
                "operations": "\(transaction.operations)", "applied": "\(transaction.applied)",
                "seconds": "\(Double(now - transaction.startedAt) / 1e9)", "queue": "\(hub.status.queue)",
            ])
    }

    private func publishStatus(_ change: (inout PendingWork) -> Void = { _ in }) {
        transition(on: .healthChanged(health))
        let state = state.reported
        hub.updateStatus {
            $0.state = state
            // With the state, in one update: a reader never sees `watching` beside counts
            // from before the work that made it so.
            handOver(to: &$0.pending, change)
            $0.watches = watcher?.watchCount ?? 0
            $0.polledDirectories = footing.polled.count
            $0.overflows = overflows
            $0.warnings = warnings.messages
            $0.lastFullScan = lastFullScan
        }
    }

    private func statusLine() -> String {
        let status = hub.status
        var line = "\(status.state.rawValue): \(settings.tree.root), "
        if let scan = status.scan {
            line += scan.text
        } else {
            line += "\(status.watches) directories watched"
            if status.queue > 0 { line += ", \(status.queue) queued" }
        }
        if !status.warnings.isEmpty { line += "; \(status.warnings.count) warning(s)" }
        return line
    }

    /// Sends the watchdog keep-alive when due and refreshes the status line now and then.
    private func sendKeepAlives() {
        let due = keepAlive.due(at: monotonicNanoseconds())
        if due.watchdog { notifier.watchdog() }
        if due.statusLine {
            publishStatus()
            notifier.status(statusLine())
        }
    }
}
