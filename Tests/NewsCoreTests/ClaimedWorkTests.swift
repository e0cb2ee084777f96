import Dispatch
import Testing

@testable import NewsCore

/// `ClaimedWork` hands each index out once, whichever threads work on it.
@Suite struct ClaimedWorkTests {
    @Test func everyInputIsComputedOnceInOrder() {
        let work = ClaimedWork<Int, Int>(Array(0..<500))
        DispatchQueue.concurrentPerform(iterations: 4) { _ in work.work { $0 * 3 } }
        #expect(work.outputs() == Array(0..<500).map { $0 * 3 })
    }

    @Test func cancelledWorkLeavesTheRestUncomputed() {
        let work = ClaimedWork<Int, Int>(Array(0..<10))
        var computed = 0
        work.work { value in
            computed += 1
            if value == 3 { work.cancel() }
            return value
        }
        #expect(computed == 4)
        #expect(work.outputs() == [0, 1, 2, 3, nil, nil, nil, nil, nil, nil])
    }
}
