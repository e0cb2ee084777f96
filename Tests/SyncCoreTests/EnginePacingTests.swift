import Logging
import TestSupport
import Testing

@testable import Catalogue
@testable import SyncCore

/// The engine's timers as plain values: when the watchdog and the status line are due, and
/// when the search index is merged.
@Suite struct EnginePacingTests {
    static let second: UInt64 = 1_000_000_000

    @Test func theWatchdogIsDueAtItsIntervalAndTheStatusLineAtMostOnceASecond() {
        var pacer = KeepAlivePacer(watchdogInterval: .milliseconds(300))
        #expect(pacer.watchdogInterval == 300_000_000)
        #expect(pacer.deadline == 0)
        let start: UInt64 = 10 * Self.second
        #expect(pacer.due(at: start) == (watchdog: true, statusLine: true))
        #expect(pacer.deadline == start + 300_000_000)
        // Nothing is due before the deadline.
        #expect(pacer.due(at: start + 299_999_999) == (watchdog: false, statusLine: false))
        #expect(pacer.due(at: start + 300_000_000) == (watchdog: true, statusLine: false))
        #expect(pacer.due(at: start + 600_000_000) == (watchdog: true, statusLine: false))
        #expect(pacer.due(at: start + Self.second) == (watchdog: true, statusLine: true))
    }

    @Test func withoutAWatchdogOnlyTheStatusLineIsPaced() {
        var pacer = KeepAlivePacer(watchdogInterval: nil)
        #expect(pacer.deadline == nil)
        #expect(pacer.due(at: 5 * Self.second) == (watchdog: false, statusLine: true))
        #expect(pacer.due(at: 6 * Self.second - 1) == (watchdog: false, statusLine: false))
        #expect(pacer.due(at: 6 * Self.second) == (watchdog: false, statusLine: true))
    }

    @Test func aZeroWatchdogIntervalStillLetsTheEngineSleep() {
        let pacer = KeepAlivePacer(watchdogInterval: .zero)
        #expect(pacer.watchdogInterval == 1_000_000)
    }

    @Test func aHeldStatusLineWaitsAFullInterval() {
        var pacer = KeepAlivePacer(watchdogInterval: nil)
        _ = pacer.due(at: 0)
        pacer.holdStatusLine(from: 3 * Self.second)
        #expect(pacer.due(at: 3 * Self.second + 999_999_999).statusLine == false)
        #expect(pacer.due(at: 4 * Self.second).statusLine == true)
    }

    @Test func theSearchIndexIsMergedOnlyAfterAQuietSpell() {
        var schedule = SearchMergeSchedule(idle: 2 * Self.second)
        #expect(schedule.due == nil)
        #expect(!schedule.isDue(at: 100 * Self.second))
        schedule.noteChanges(at: 10 * Self.second)
        #expect(!schedule.isDue(at: 12 * Self.second - 1))
        #expect(schedule.isDue(at: 12 * Self.second))
        // Each commit pushes the merge back by a whole quiet spell.
        schedule.noteChanges(at: 11 * Self.second)
        #expect(!schedule.isDue(at: 12 * Self.second))
        #expect(schedule.isDue(at: 13 * Self.second))
    }

    @Test func aCrowdedIndexIsMergedAtOnceAndWhilePathsSettle() {
        var schedule = SearchMergeSchedule(idle: 2 * Self.second)
        schedule.noteChanges(at: 10 * Self.second, busiestLevel: AppDatabase.busyMergeSegments)
        #expect(schedule.isDue(at: 10 * Self.second))
        #expect(schedule.crowded)
        // The next commit finds it merged down: back to the quiet spell.
        schedule.noteChanges(at: 11 * Self.second, busiestLevel: 0)
        #expect(!schedule.crowded)
        #expect(!schedule.isDue(at: 12 * Self.second))
        #expect(schedule.isDue(at: 13 * Self.second))
    }

    @Test func stepsStaySmallUntilTheDaemonHasBeenQuiet() {
        var schedule = SearchMergeSchedule(idle: 2 * Self.second)
        let settling: UInt64 = 3_000_000
        // What a start finds unmerged, before anything is committed.
        #expect(schedule.pages(at: 0, settling: nil) == SearchMergeSchedule.quietPages)
        schedule.noteChanges(at: 10 * Self.second, busiestLevel: AppDatabase.busyMergeSegments)
        // Crowded, between the commits of a stream: more may arrive at any moment.
        #expect(schedule.pages(at: 10 * Self.second, settling: nil) == SearchMergeSchedule.busyPages)
        #expect(schedule.pages(at: 12 * Self.second - 1, settling: nil) == SearchMergeSchedule.busyPages)
        #expect(schedule.pages(at: 11 * Self.second, settling: settling) == SearchMergeSchedule.busyPages)
        // Quiet for the whole spell.
        #expect(schedule.pages(at: 12 * Self.second, settling: nil) == SearchMergeSchedule.quietPages)
        #expect(schedule.pages(at: 12 * Self.second, settling: settling) == SearchMergeSchedule.busyPages)
        #expect(SearchMergeSchedule.busyPages < SearchMergeSchedule.quietPages)
    }

    @Test func aStepWithNothingLeftToMergeEndsTheSchedule() throws {
        let scratch = try Scratch("merge-schedule")
        let database = try AppDatabase(path: scratch.url("catalog.sqlite"))
        var schedule = SearchMergeSchedule(idle: Self.second)
        schedule.noteChanges(at: 0)
        schedule.step(database, at: Self.second, logger: Logger(label: "test"))
        #expect(schedule.due == nil)
        #expect(!schedule.isDue(at: 1_000 * Self.second))
    }
}
