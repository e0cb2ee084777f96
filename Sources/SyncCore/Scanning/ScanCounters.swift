import ControlWire
import NewsCore
import Synchronization

/// The live counts of a pass over the whole tree, for a progress line or `status` to show
/// while it runs.
///
/// The walk adds each directory's entries once it has listed it, the reader threads count each
/// file as they finish it, and the writer the files whose outcome it has written; any other
/// thread takes a `snapshot` whenever it likes. The pass itself never formats, publishes or
/// waits for anyone: showing it is up to the reader of the counts (a terminal's line a few
/// times a second, `status` when asked).
public final class ScanCounters: Sendable {
    private struct Counts {
        var running = false
        var directories = 0
        var walked = 0
        var toRead: Int?
        var written = 0
        /// When the walk ended (monotonic ns): the rate is measured from here.
        var readingSince: UInt64 = 0
        /// When the last file to read was written, if it has been: the rate stops there.
        var writtenAllAt: UInt64?
    }

    private let counts = Mutex(Counts())
    /// Files read, counted by the reader threads: an atomic rather than the lock, which they
    /// would otherwise take once a file each (and which ThreadSanitizer cannot see into: it
    /// is built on a futex).
    private let read = Atomic<Int>(0)
    private let phaseChanged: @Sendable () -> Void

    /// Counters that count nothing until `begin`. `phaseChanged` runs (on the pass's thread)
    /// when a pass begins and when its walk is done, so that a line shown every so often
    /// shows each phase at once, however short.
    public init(phaseChanged: @escaping @Sendable () -> Void = {}) {
        self.phaseChanged = phaseChanged
    }

    /// A pass over the whole tree begins: the counts start from zero.
    public func begin() {
        counts.withLock { $0 = Counts(running: true) }
        read.store(0, ordering: .relaxed)
        phaseChanged()
    }

    /// The pass is over: nothing is counted, and `snapshot` is `nil`, until the next `begin`.
    public func end() {
        counts.withLock { $0.running = false }
    }

    /// The walk listed a directory holding `entries` entries other than directories.
    func listed(entries: Int) {
        counts.withLock { counts in
            guard counts.running else { return }
            counts.directories += 1
            counts.walked += entries
        }
    }

    /// The walk is done and the pass has `files` to read, from `now` (monotonic ns).
    func planned(toRead files: Int, at now: UInt64 = monotonicNanoseconds()) {
        let began = counts.withLock { counts -> Bool in
            guard counts.running else { return false }
            counts.toRead = files
            counts.readingSince = now
            return true
        }
        if began { phaseChanged() }
    }

    /// A reader thread is done with one file.
    func fileRead() {
        read.add(1, ordering: .relaxed)
    }

    /// The outcomes of the pass's first `files` files to read are written (in the open
    /// transaction or a committed one), at `now` (monotonic ns).
    func written(_ files: Int, at now: UInt64 = monotonicNanoseconds()) {
        counts.withLock { counts in
            guard counts.running else { return }
            counts.written = files
            if files >= counts.toRead ?? .max && counts.writtenAllAt == nil { counts.writtenAllAt = now }
        }
    }

    /// Where the pass running now has got, or `nil` when none runs.
    public func snapshot() -> ScanProgress? { snapshot(at: monotonicNanoseconds()) }

    /// Where the pass has got at `now` (monotonic ns).
    ///
    /// The rate is the files written per second since the walk ended, not those read: the
    /// readers run up to a few batches ahead of the writer, and the pass is done when the
    /// writer is. It is given once the pass has run for `rateAfterSeconds` past its walk (the
    /// first files, before the writer has begun, say little about the rest), and 0 says that
    /// nothing is written yet (the writer is waiting for the catalogue, say).
    func snapshot(at now: UInt64) -> ScanProgress? {
        let counts = counts.withLock { $0 }
        guard counts.running else { return nil }
        var progress = ScanProgress(
            directories: counts.directories, walked: counts.walked, toRead: counts.toRead,
            read: read.load(ordering: .relaxed))
        let until = counts.writtenAllAt ?? now
        guard let toRead = counts.toRead, until > counts.readingSince else { return progress }
        let seconds = Double(until - counts.readingSince) / 1e9
        guard seconds >= Self.rateAfterSeconds else { return progress }
        let rate = Double(counts.written) / seconds
        progress.filesPerSecond = rate
        if rate > 0 { progress.etaSeconds = Double(max(0, toRead - counts.written)) / rate }
        return progress
    }

    /// How long a pass runs past its walk before a rate (and so an estimate of what is left)
    /// is given.
    static let rateAfterSeconds = 0.5
}
