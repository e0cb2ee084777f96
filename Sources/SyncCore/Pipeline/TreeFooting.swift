import NewsCore

/// What the engine stands on beneath the watches: whether the tree's root can be trusted,
/// which directories are polled instead of watched, which mount points inside the tree lost
/// their filesystem, and when to look at all of them again.
///
/// It decides and remembers; the engine acts on its answers (logs, warnings, reconciles), so
/// that the rules are one value type that tests drive with a clock of their own.
struct TreeFooting {
    /// How often polled directories and unmounted mount points are looked at (nanoseconds).
    let pollInterval: UInt64
    /// Why the root is not trusted now, if it is not: nothing is read as deleted meanwhile.
    private(set) var rootProblem: RootUnavailable?
    /// Directories polled instead of watched (the watch limit, no inotify, a remote filesystem).
    private(set) var polled: Set<RelativePath> = []
    /// Mount points inside the tree whose filesystem went away, with the catalogued files each
    /// keeps; polled until a filesystem is mounted there again.
    private(set) var unmounted: [RelativePath: Int] = [:]
    /// The mount points at or under the root, as the mount table last listed them.
    private(set) var mountPoints: Set<RelativePath> = []
    /// When the next look is due (monotonic nanoseconds).
    private(set) var nextPoll: UInt64 = 0

    init(pollInterval: UInt64) {
        self.pollInterval = pollInterval
    }

    /// How often a root that is not trusted is looked at: at least once a second, so that a
    /// remount is noticed promptly whatever the poll interval.
    var rootPollInterval: UInt64 { min(pollInterval, 1_000_000_000) }

    /// The poll interval in whole seconds, as warnings give it.
    var pollSeconds: UInt64 { pollInterval / 1_000_000_000 }

    /// The engine's degraded causes that come from here.
    var causes: DegradedCauses {
        var causes: DegradedCauses = []
        if rootProblem != nil { causes.insert(.rootUntrusted) }
        if !polled.isEmpty { causes.insert(.polling) }
        if !unmounted.isEmpty { causes.insert(.unmounted) }
        return causes
    }

    /// When the engine must wake to look again, if anything is to be looked at.
    var pollDeadline: UInt64? {
        polled.isEmpty && rootProblem == nil && unmounted.isEmpty ? nil : nextPoll
    }

    // MARK: the root

    /// How a report that the root cannot be trusted changed things.
    enum RootLoss: Equatable {
        /// The root was trusted until now: drop what is queued and the watches.
        case first
        /// It was already distrusted, for another reason now.
        case changed
        /// The same reason as before: nothing new to say.
        case unchanged
    }

    /// The root cannot be trusted, for `problem`: it is looked at again a root poll from `now`.
    mutating func rootUnavailable(_ problem: RootUnavailable, now: UInt64) -> RootLoss {
        nextPoll = now + rootPollInterval
        guard rootProblem != problem else { return .unchanged }
        let first = rootProblem == nil
        rootProblem = problem
        return first ? .first : .changed
    }

    /// The root could not be looked at properly this time: look again a root poll from `now`.
    mutating func lookAtRootAgain(now: UInt64) {
        nextPoll = now + rootPollInterval
    }

    /// The root can be trusted again; returns why it was not, if it was not.
    mutating func rootTrusted() -> RootUnavailable? {
        defer { rootProblem = nil }
        return rootProblem
    }

    // MARK: polled directories

    /// `directory` cannot be watched: it is polled. True when it is the first polled.
    @discardableResult
    mutating func poll(_ directory: RelativePath) -> Bool {
        let first = polled.isEmpty
        polled.insert(directory)
        return first
    }

    /// `directory` is watched: no longer polled. True when it was, and `last` when none is left.
    mutating func watched(_ directory: RelativePath) -> (wasPolled: Bool, last: Bool) {
        guard polled.remove(directory) != nil else { return (false, false) }
        return (true, polled.isEmpty)
    }

    /// The polled directories and unmounted mount points, when their look is due at `now`
    /// (the next one is then scheduled); empty otherwise.
    mutating func takeDueScopes(now: UInt64) -> [RelativePath] {
        guard !polled.isEmpty || !unmounted.isEmpty, now >= nextPoll else { return [] }
        nextPoll = now + pollInterval
        return Array(polled) + Array(unmounted.keys)
    }

    // MARK: mounts

    /// What a pass changed of the unmounted mount points.
    struct UnmountedChanges: Equatable {
        /// Mount points mounted again, removed, or given up by an accepted pass.
        var settled: [RelativePath] = []
        /// Mount points found unmounted that were not before.
        var new: [RelativePath] = []
    }

    /// A pass over `scopes` found `found` (mount points left behind by an unmount, with the
    /// files each keeps): those are kept and polled (the first look a poll from `now`); those it
    /// no longer found within its scopes (or anywhere, for an `accepted` pass) are let go.
    mutating func passFound(
        unmounted found: [RelativePath: Int], within scopes: [RelativePath], accepted: Bool, now: UInt64
    ) -> UnmountedChanges {
        var changes = UnmountedChanges()
        for directory in unmounted.keys.sorted()
        where found[directory] == nil && (accepted || scopes.contains { directory.isWithin($0) }) {
            unmounted[directory] = nil
            changes.settled.append(directory)
        }
        for (directory, files) in found.sorted(by: { $0.key < $1.key }) {
            let known = unmounted[directory] != nil
            unmounted[directory] = files
            if !known {
                changes.new.append(directory)
                nextPoll = min(nextPoll, now + pollInterval)
            }
        }
        return changes
    }

    /// The mount table now lists `now` at or under the root: returns the mount points that
    /// appeared or went away since it was last read.
    mutating func mountTableListed(_ now: Set<RelativePath>) -> Set<RelativePath> {
        defer { mountPoints = now }
        return now.symmetricDifference(mountPoints)
    }
}
