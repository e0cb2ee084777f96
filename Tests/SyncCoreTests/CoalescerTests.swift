import NewsCore
import Testing

@testable import Catalogue
@testable import SyncCore

@Suite struct CoalescerTests {
    let ms: UInt64 = 1_000_000
    var timing: Coalescer.Timing { Coalescer.Timing(quiet: 10 * ms, cap: 100 * ms, openFileCap: 500 * ms) }

    @Test func aPathIsDueOnceQuietAndManyEventsBecomeOneItem() {
        var c = Coalescer(timing: timing)
        let a = RelativePath("a.txt")
        c.note(a, at: 0)
        c.note(a, at: 5 * ms)
        c.note(a, at: 8 * ms)
        #expect(c.count == 1)
        #expect(c.takeDue(at: 17 * ms).isEmpty)
        #expect(c.nextDeadline == 18 * ms)
        #expect(c.takeDue(at: 18 * ms) == [a])
        #expect(c.isEmpty)
    }

    @Test func constantChurnCannotStarveAPathPastTheCap() {
        var c = Coalescer(timing: timing)
        let a = RelativePath("busy.txt")
        var now: UInt64 = 0
        var taken: [RelativePath] = []
        while now <= 200 * ms && taken.isEmpty {
            c.note(a, at: now)
            now += 5 * ms
            taken = c.takeDue(at: now)
        }
        #expect(taken == [a])
        #expect(now <= 100 * ms + 5 * ms)
    }

    @Test func aFileStillOpenForWritingWaitsForItsCloseOrTheOpenFileCap() {
        var c = Coalescer(timing: timing)
        let a = RelativePath("writing.txt")
        c.note(a, at: 0, awaitingClose: true)
        #expect(c.takeDue(at: 200 * ms).isEmpty)
        #expect(c.takeDue(at: 500 * ms) == [a])
        c.note(a, at: 600 * ms, awaitingClose: true)
        c.note(a, at: 650 * ms)  // IN_CLOSE_WRITE
        #expect(c.takeDue(at: 660 * ms) == [a])
    }

    @Test func theTwoHalvesOfARenameAreHandedOutTogether() {
        var c = Coalescer(timing: timing)
        let from = RelativePath("old.txt")
        let to = RelativePath("dir/new.txt")
        c.note(from, at: 0)
        c.note(to, at: 9 * ms)
        c.link(from, to)
        #expect(c.takeDue(at: 10 * ms) == [to, from].sorted())
        #expect(c.isEmpty)
    }

    @Test func takeAllEmptiesTheQueueForABarrier() {
        var c = Coalescer(timing: timing)
        c.note(RelativePath("a"), at: 0, awaitingClose: true)
        c.note(RelativePath("b"), at: 0)
        #expect(c.takeAll() == [RelativePath("a"), RelativePath("b")])
        #expect(c.nextDeadline == nil)
    }
}
