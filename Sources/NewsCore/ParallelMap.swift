import Dispatch
import Foundation

extension Array where Element: Sendable {
    /// Maps the elements on up to `width` threads (default: every core), keeping their order.
    /// Used for reading, hashing and analysing files: each element is independent and the work
    /// is I/O and CPU bound, never async. Threads take the next element as they finish one
    /// (`ClaimedWork`), so a long article does not hold up a whole share.
    public func parallelMap<T: Sendable>(
        width: Int = ProcessInfo.processInfo.activeProcessorCount, _ transform: @Sendable (Element) -> T
    ) -> [T] {
        if count <= 1 || width <= 1 { return map(transform) }
        let work = ClaimedWork<Element, T>(self)
        // concurrentPerform returns after every iteration, which orders every output's write
        // before the read below.
        DispatchQueue.concurrentPerform(iterations: Swift.min(width, count)) { _ in
            work.work(transform)
        }
        return work.outputs().map { $0! }
    }
}
