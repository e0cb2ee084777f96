import Dispatch

extension Array where Element: Sendable {
    /// Maps the elements on all cores, keeping their order. Used for reading and hashing files:
    /// each element is independent and the work is I/O and CPU bound, never async.
    func parallelMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        if count <= 1 { return map(transform) }
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        // Deinitialise before freeing: the slots own their values (an analysed text's strings),
        // and deallocating alone leaked every one of them.
        defer {
            results.deinitialize()
            results.deallocate()
        }
        let slots = SendableBuffer(buffer: results)
        self.withUnsafeBufferPointer { input in
            let source = SendableInput(buffer: input)
            // Each iteration writes only its own slot; concurrentPerform returns after all of
            // them, which orders every write before the reads below.
            DispatchQueue.concurrentPerform(iterations: input.count) { index in
                slots.buffer[index] = transform(source.buffer[index])
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
