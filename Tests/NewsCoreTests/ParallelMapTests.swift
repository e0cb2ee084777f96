import Synchronization
import Testing

@testable import NewsCore

/// `parallelMap` runs the reader's work on every core; it must keep order and own its results
/// exactly once (it once leaked every result: an analysed text's strings, per file ingested).
@Suite struct ParallelMapTests {
    /// Counts live instances, so a test can see that every result was released.
    final class Tracked: Sendable {
        static let live = Atomic<Int>(0)
        let value: Int
        init(_ value: Int) {
            self.value = value
            Tracked.live.add(1, ordering: .relaxed)
        }
        deinit { Tracked.live.subtract(1, ordering: .relaxed) }
    }

    @Test func keepsOrderAndReleasesEveryResult() {
        let before = Tracked.live.load(ordering: .relaxed)
        do {
            let results = Array(0..<1_000).parallelMap { Tracked($0 * 2) }
            #expect(results.map(\.value) == Array(0..<1_000).map { $0 * 2 })
            #expect(Tracked.live.load(ordering: .relaxed) == before + 1_000)
        }
        #expect(Tracked.live.load(ordering: .relaxed) == before)
    }
}
