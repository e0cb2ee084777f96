import NewsCore
import Testing

@testable import Catalogue
@testable import SyncCore

/// The engine's footing as a plain value: when the root is distrusted and looked at again,
/// which directories are polled and when, and which unmounted mount points are kept.
@Suite struct TreeFootingTests {
    static let second: UInt64 = 1_000_000_000
    let missing = RootUnavailable(root: "/srv/news", cause: .notADirectory)
    let unmounted = RootUnavailable(root: "/srv/news", cause: .unmounted)

    @Test func aTrustedTreeWithNothingPolledNeverWakesTheEngine() {
        var footing = TreeFooting(pollInterval: 30 * Self.second)
        #expect(footing.causes.isEmpty)
        #expect(footing.pollDeadline == nil)
        #expect(footing.takeDueScopes(now: 1_000 * Self.second).isEmpty)
        #expect(footing.rootTrusted() == nil)
    }

    @Test func aLostRootIsLookedAtEverySecondAndOnlyItsFirstLossDropsTheWatches() {
        // A poll interval of a minute: the root is still looked at once a second.
        var footing = TreeFooting(pollInterval: 60 * Self.second)
        let start = 100 * Self.second
        #expect(footing.rootUnavailable(missing, now: start) == .first)
        #expect(footing.causes == .rootUntrusted)
        #expect(footing.pollDeadline == start + Self.second)
        #expect(footing.rootUnavailable(missing, now: start + Self.second) == .unchanged)
        #expect(footing.pollDeadline == start + 2 * Self.second)
        #expect(footing.rootUnavailable(unmounted, now: start + 2 * Self.second) == .changed)
        #expect(footing.rootProblem == unmounted)
        footing.lookAtRootAgain(now: start + 3 * Self.second)
        #expect(footing.nextPoll == start + 4 * Self.second)
        #expect(footing.rootTrusted() == unmounted)
        #expect(footing.rootProblem == nil)
        #expect(footing.causes.isEmpty)
        #expect(footing.pollDeadline == nil)
    }

    @Test func aShortPollIntervalIsAlsoTheRootsInterval() {
        var footing = TreeFooting(pollInterval: Self.second / 4)
        _ = footing.rootUnavailable(missing, now: 0)
        #expect(footing.nextPoll == Self.second / 4)
        #expect(footing.pollSeconds == 0)
    }

    @Test func polledDirectoriesAreReconciledOncePerInterval() {
        var footing = TreeFooting(pollInterval: 30 * Self.second)
        let a = RelativePath("a")
        let b = RelativePath("b")
        let firstPolled = footing.poll(a)
        let second = footing.poll(b)
        let again = footing.poll(a)
        #expect(firstPolled && !second && !again)
        #expect(footing.polled == [a, b])
        #expect(footing.causes == .polling)
        let start = 50 * Self.second
        #expect(Set(footing.takeDueScopes(now: start)) == [a, b])
        #expect(footing.takeDueScopes(now: start + 29 * Self.second).isEmpty)
        #expect(Set(footing.takeDueScopes(now: start + 30 * Self.second)) == [a, b])
        #expect(footing.watched(a) == (wasPolled: true, last: false))
        #expect(footing.watched(a) == (wasPolled: false, last: false))
        #expect(footing.watched(b) == (wasPolled: true, last: true))
        #expect(footing.causes.isEmpty)
        #expect(footing.pollDeadline == nil)
    }

    @Test func anUnmountedMountPointIsKeptUntilAPassOverItFindsItSettled() {
        var footing = TreeFooting(pollInterval: 30 * Self.second)
        let disk = RelativePath("archive/disk2")
        let other = RelativePath("other")
        // Found by a pass over the root: kept, and first looked at a poll from now.
        var changes = footing.passFound(
            unmounted: [disk: 120], within: [.root], accepted: false, now: 10 * Self.second)
        #expect(changes == .init(settled: [], new: [disk]))
        #expect(footing.unmounted == [disk: 120])
        #expect(footing.causes == .unmounted)
        #expect(footing.pollDeadline == 0)  // never polled before: due at once
        #expect(footing.takeDueScopes(now: 10 * Self.second) == [disk])
        // Found again with another count: not new.
        changes = footing.passFound(
            unmounted: [disk: 121], within: [disk], accepted: false, now: 20 * Self.second)
        #expect(changes == .init())
        #expect(footing.unmounted == [disk: 121])
        // A pass over another directory says nothing about it.
        changes = footing.passFound(unmounted: [:], within: [other], accepted: false, now: 30 * Self.second)
        #expect(changes == .init())
        // A pass over it (or a directory holding it) that no longer finds it settles it.
        changes = footing.passFound(
            unmounted: [:], within: [RelativePath("archive")], accepted: false, now: 40 * Self.second)
        #expect(changes == .init(settled: [disk], new: []))
        #expect(footing.causes.isEmpty)
    }

    @Test func anAcceptedPassLetsGoOfEveryMountPointItDidNotFind() {
        var footing = TreeFooting(pollInterval: 30 * Self.second)
        let disk = RelativePath("archive/disk2")
        _ = footing.passFound(unmounted: [disk: 5], within: [.root], accepted: false, now: 0)
        let changes = footing.passFound(
            unmounted: [:], within: [RelativePath("elsewhere")], accepted: true, now: Self.second)
        #expect(changes.settled == [disk])
        #expect(footing.unmounted.isEmpty)
    }

    @Test func theMountTableReportsWhatAppearedAndWhatWentAway() {
        var footing = TreeFooting(pollInterval: 30 * Self.second)
        let a = RelativePath("a")
        let b = RelativePath("b")
        #expect(footing.mountTableListed([a]) == [a])
        #expect(footing.mountTableListed([a]).isEmpty)
        #expect(footing.mountTableListed([b]) == [a, b])
        #expect(footing.mountPoints == [b])
    }
}
