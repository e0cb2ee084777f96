import Foundation
import SyncCore
import Synchronization

/// `newsd scan`'s progress on a terminal: a line on stderr drawn from the pass's counters a few
/// times a second (and at once when the walk begins and ends), by a thread of its own, so that
/// the pass never pays for it per file and the line moves even while the walk or a transaction
/// gives no word.
final class ScanProgressLine: Sendable {
    /// How often the line is drawn again: often enough to see it move, rarely enough to cost
    /// nothing and stay readable.
    static let interval = 0.25

    /// The counters to give the scan.
    let counters: ScanCounters
    private let wake: DispatchSemaphore
    private let stopping = Atomic(false)
    private let stopped = DispatchSemaphore(value: 0)

    /// Starts drawing; nothing shows until the counters' pass begins.
    init() {
        let wake = DispatchSemaphore(value: 0)
        self.wake = wake
        counters = ScanCounters(phaseChanged: { wake.signal() })
        Thread { [self] in draw() }.start()
    }

    private func draw() {
        while !stopping.load(ordering: .acquiring) {
            if let progress = counters.snapshot() { StderrOutput.show(progress.text) }
            _ = wake.wait(timeout: .now() + Self.interval)
        }
        StderrOutput.clear()
        stopped.signal()
    }

    /// Erases the line and stops drawing; returns once the line is gone (the summary or an
    /// error message comes next).
    func finish() {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        wake.signal()
        stopped.wait()
    }
}
