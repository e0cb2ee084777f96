import NewsCore

/// Turns bursts of events for one path into one piece of work once the path has settled.
///
/// A path is due when it has been quiet for `quiet` (more events push the deadline back), but
/// never later than `cap` after its first event, so that constant churn cannot starve
/// ingestion. A regular file that was created but not yet closed is held for `openFileCap`
/// instead: it is probably still being written, and the `IN_CLOSE_WRITE` that ends the write
/// makes it due at once. Paths linked by a rename are handed out together, so that the
/// reconciler sees both halves of the move.
struct Coalescer: Sendable {
    /// How long the coalescer waits, in nanoseconds of a monotonic clock.
    struct Timing: Sendable, Equatable {
        var quiet: UInt64
        var cap: UInt64
        var openFileCap: UInt64
    }

    private struct Entry {
        var firstSeen: UInt64
        var lastEvent: UInt64
        var awaitingClose: Bool
        var links: [RelativePath] = []
    }

    let timing: Timing
    private var entries: [RelativePath: Entry] = [:]

    /// Creates an empty coalescer.
    init(timing: Timing) { self.timing = timing }

    /// Paths waiting.
    var count: Int { entries.count }

    /// True when nothing waits.
    var isEmpty: Bool { entries.isEmpty }

    /// Records an event for `path` at `now`. `awaitingClose` says the event leaves the file
    /// open for writing (a create); the latest event decides.
    mutating func note(_ path: RelativePath, at now: UInt64, awaitingClose: Bool = false) {
        if var entry = entries[path] {
            entry.lastEvent = now
            entry.awaitingClose = awaitingClose
            entries[path] = entry
        } else {
            entries[path] = Entry(firstSeen: now, lastEvent: now, awaitingClose: awaitingClose)
        }
    }

    /// Links the two halves of a rename so they are handed out together.
    mutating func link(_ a: RelativePath, _ b: RelativePath) {
        entries[a]?.links.append(b)
        entries[b]?.links.append(a)
    }

    /// When `path` is due, if it waits.
    func deadline(of path: RelativePath) -> UInt64? {
        entries[path].map(deadline)
    }

    private func deadline(_ entry: Entry) -> UInt64 {
        if entry.awaitingClose { return entry.firstSeen + timing.openFileCap }
        return min(entry.lastEvent + timing.quiet, entry.firstSeen + timing.cap)
    }

    /// The earliest deadline, if anything waits.
    var nextDeadline: UInt64? {
        entries.values.lazy.map(deadline).min()
    }

    /// Removes and returns the paths due at `now`, with the rename partners they are linked to.
    mutating func takeDue(at now: UInt64) -> [RelativePath] {
        var due = Set(entries.compactMap { deadline($0.value) <= now ? $0.key : nil })
        var frontier = Array(due)
        while let path = frontier.popLast() {
            for partner in entries[path]?.links ?? [] where entries[partner] != nil && !due.contains(partner)
            {
                due.insert(partner)
                frontier.append(partner)
            }
        }
        for path in due { entries[path] = nil }
        return due.sorted()
    }

    /// Removes and returns everything (a `sync` barrier, or shutdown).
    mutating func takeAll() -> [RelativePath] {
        defer { entries.removeAll() }
        return entries.keys.sorted()
    }

    /// Forgets everything (a full reconcile supersedes it).
    mutating func removeAll() { entries.removeAll() }
}
