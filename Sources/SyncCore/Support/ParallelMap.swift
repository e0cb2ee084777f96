import Dispatch
import Foundation
import Synchronization

extension Array where Element: Sendable {
    /// Maps the elements on up to `width` threads (default: every core), keeping their order.
    /// Used for reading, hashing and analysing files: each element is independent and the work
    /// is I/O and CPU bound, never async. Threads take the next element as they finish one, so
    /// a long article does not hold up a whole share.
    func parallelMap<T: Sendable>(
        width: Int = ProcessInfo.processInfo.activeProcessorCount, _ transform: @Sendable (Element) -> T
    ) -> [T] {
        if count <= 1 || width <= 1 { return map(transform) }
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        // Deinitialise before freeing: the slots own their values (an analysed text's strings),
        // and deallocating alone leaked every one of them.
        defer {
            results.deinitialize()
            results.deallocate()
        }
        let slots = SendableBuffer(buffer: results)
        let next = Atomic<Int>(0)
        self.withUnsafeBufferPointer { input in
            let source = SendableInput(buffer: input)
            // Each element writes only its own slot; concurrentPerform returns after all of
            // them, which orders every write before the reads below.
            let total = input.count
            DispatchQueue.concurrentPerform(iterations: Swift.min(width, total)) { _ in
                while true {
                    let index = next.add(1, ordering: .relaxed).oldValue
                    guard index < total else { return }
                    slots.buffer[index] = transform(source.buffer[index])
                }
            }
        }
        return results.map { $0! }
    }
}

private struct SendableBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T?>
}

private struct SendableInput<T>: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<T>
}
