import Logging

/// Drives the analysis work the engine does between events: the backfill of contents
/// catalogued by an older newsd (or under chrome verdicts that changed since), and the
/// re-analysis a commit queues when it changes corpus-chrome verdicts. One small step at a
/// time, so the daemon keeps following the tree meanwhile.
struct BackfillDriver {
    let backfill: AnalysisBackfill
    let logger: Logger
    /// The backfill's progress while contents wait for it.
    private var progress: AnalysisBackfill.Progress?
    private var total = 0

    init(backfill: AnalysisBackfill, logger: Logger) {
        self.backfill = backfill
        self.logger = logger
    }

    /// What one step did.
    enum Step: Equatable {
        /// Nothing was waiting.
        case idle
        /// The backfill moved on; `remaining` contents wait, the line is for `systemctl status`.
        case advanced(remaining: Int, statusLine: String)
        /// The backfill is done.
        case finished
        /// A re-analysis step ran.
        case reanalysed
        /// The step failed; the next start does what is left.
        case failed(EngineWarning)
    }

    /// Work is waiting: the engine should not sleep.
    var hasWork: Bool { progress != nil || backfill.database.knownChrome.hasQueued }

    /// The backfill is running (it goes before queued re-analysis, which it covers).
    var isBackfilling: Bool { progress != nil }

    /// Starts the backfill when contents need it; returns how many do (0: none).
    mutating func startIfNeeded() -> Int {
        let pending = (try? backfill.database.countContentsNeedingAnalysis()) ?? 0
        guard pending > 0 else { return 0 }
        // The pass over every pending content finds the queued ones too, from `analysis_queue`.
        backfill.database.knownChrome.clearQueued()
        progress = AnalysisBackfill.Progress()
        total = pending
        logger.info(
            "analysing contents catalogued before this analysis version, or under chrome verdicts that changed",
            metadata: ["contents": "\(pending)"])
        return pending
    }

    /// One step: of the backfill while it runs, else of the queued re-analysis.
    mutating func step() -> Step {
        if let current = progress {
            do {
                let next = try backfill.step(current)
                if next.finished {
                    progress = nil
                    logger.info(
                        "analysis backfill done",
                        metadata: ["analysed": "\(next.analysed)", "skipped": "\(next.skipped)"])
                    return .finished
                }
                progress = next
                return .advanced(
                    remaining: max(0, total - next.analysed - next.skipped),
                    statusLine: "analysing older contents: \(next.analysed) of \(total)")
            } catch {
                progress = nil
                return .failed(.backfillFailed(error: "\(error)"))
            }
        }
        guard backfill.database.knownChrome.hasQueued else { return .idle }
        do {
            _ = try backfill.reanalyseQueued()
            return .reanalysed
        } catch {
            return .failed(.reanalysisFailed(error: "\(error)"))
        }
    }
}
