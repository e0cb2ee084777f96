import Catalogue
import Logging

/// When the engine merges the search index's segments: after a quiet spell following a
/// commit, in small steps while nothing else waits, until nothing is left to merge.
///
/// FTS5 otherwise merges inside a commit once enough segments pile up (its crisis merge), and
/// that commit takes hundreds of milliseconds.
struct SearchMergeSchedule {
    /// The quiet spell after the last committed change.
    let idle: UInt64
    /// When to merge next, if the index may need it.
    private(set) var due: UInt64?
    /// The most segments a level of the index held at the last commit.
    private(set) var busiestLevel = 0
    /// Whether a level of the index was crowded at the last commit
    /// (`AppDatabase.busyMergeSegments`): steps then run while paths wait to settle too, not
    /// only when nothing waits.
    var crowded: Bool { busiestLevel >= AppDatabase.busyMergeSegments }
    /// Whether a level was close to FTS5's crisis merge at the last commit
    /// (`AppDatabase.urgentMergeSegments`): steps between events then go on while the WAL
    /// waits to be copied too.
    var urgent: Bool { busiestLevel >= AppDatabase.urgentMergeSegments }
    /// When changes were last committed.
    private var lastChange: UInt64?

    init(idle: UInt64) { self.idle = idle }

    /// Changes were committed (or the index may hold what an earlier run left unmerged), and
    /// the busiest level of the index holds `busiestLevel` segments: merge once things have
    /// been quiet for `idle`, or, when that level is `crowded`, between events from now on,
    /// before a commit meets FTS5's crisis merge. A stream of single articles a few
    /// milliseconds apart always has a path settling, so a crowded index is merged then too.
    mutating func noteChanges(at now: UInt64, busiestLevel: Int = 0) {
        self.busiestLevel = busiestLevel
        lastChange = now
        due = crowded ? now : now + idle
    }

    /// The pages a step at `now` merges: `busyPages` while the daemon is busy (a path settling,
    /// or changes committed within the quiet spell: more may arrive at any moment),
    /// `quietPages` once it has been quiet for `idle`.
    func pages(at now: UInt64, settling: UInt64?) -> Int {
        let quiet = lastChange.map { now >= $0 + idle } ?? true
        return settling == nil && quiet ? Self.quietPages : Self.busyPages
    }

    /// Whether a step is due at `now`.
    func isDue(at now: UInt64) -> Bool { due.map { now >= $0 } ?? false }

    /// How long a step waits when the WAL is past its limit and the checkpointer has yet to
    /// copy it whole (`AppDatabase.walAwaitsCopy`), and for how long at most: commits that
    /// never pause (a dense stream of new articles) keep any copy from being whole, and merging
    /// then goes on at a step a second, the writer starting the WAL over at its ceiling.
    static let copyWait: UInt64 = 20_000_000
    static let longestCopyWait: UInt64 = 1_000_000_000
    /// The least time before a settling path is due that a step between events needs.
    static let settlingSlot: UInt64 = 2_000_000
    /// The pages a step merges while the daemon is busy: a few milliseconds' work (steps of 64
    /// pages took 7–22 ms, against the 5 ms a new path settles for). A step cannot be cut
    /// short, so a new article arriving during one waits for its end: with 256-page steps
    /// between the commits of a stream of new articles (the index crowded, nothing settling
    /// for the moment), a step took 14–27 ms and the article that came meanwhile 22–32 ms.
    static let busyPages = 16
    /// The pages a step merges once the daemon has been quiet for `idle`.
    static let quietPages = 256
    /// When steps began to wait for the copy.
    private(set) var waitingForCopySince: UInt64?

    /// One step of merging; the next follows at once (events still come first) until there is
    /// nothing left, and a failure is retried after the next quiet spell. A step waits while
    /// the checkpointer copies a WAL past its limit: merging writes megabytes a step, and the
    /// first step after the copy lets SQLite start the WAL over, which neither the steps nor
    /// the commits of new articles then wait for. Between events too, unless a level of the
    /// index is close to the crisis merge (`urgent`): right after 2,000 new articles arrived
    /// at once on the 256,000-article archive of `bench/archive.py`, steps between the commits
    /// of the single articles that followed took the WAL from 64 to 256 MiB in about a second
    /// (a step that continues a large merge deletes what it has consumed), where the writer
    /// then restarted it, holding a commit 60–110 ms.
    /// `settling`: the time until the next settling path is due, when one is (the index is
    /// crowded): a step then runs only if it has `settlingSlot` at least. Steps are small
    /// (`busyPages`) until the daemon has been quiet for `idle` (`pages(at:settling:)`).
    mutating func step(_ database: AppDatabase, at now: UInt64, settling: UInt64? = nil, logger: Logger) {
        if let settling, settling < Self.settlingSlot {
            due = now + settling
            return
        }
        if settling == nil || !urgent, database.walAwaitsCopy,
            now - (waitingForCopySince ?? now) < Self.longestCopyWait
        {
            waitingForCopySince = waitingForCopySince ?? now
            due = now + Self.copyWait
            return
        }
        waitingForCopySince = nil
        do {
            due = try database.mergeSearchIndex(pages: pages(at: now, settling: settling)) ? now : nil
        } catch {
            logger.warning(
                "search-index merge failed; retrying when idle again", metadata: ["error": "\(error)"])
            due = now + idle
        }
    }
}
