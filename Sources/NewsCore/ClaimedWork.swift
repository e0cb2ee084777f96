import Synchronization

/// A fixed list of inputs whose outputs any number of threads compute together: each thread
/// that calls `work(_:)` claims the next unclaimed index (an atomic counter hands each one out
/// once), computes its output into a slot of its own, and claims again until none is left. A
/// long item then holds up only the thread that took it.
///
/// No lock: each slot is written only by the thread that claimed its index, and `outputs()`
/// may be read only after every `work(_:)` call has returned, which the caller's join (the end
/// of `concurrentPerform`, a dispatch group's `wait`) orders before it. (A `Mutex` around the
/// outputs would be as correct, but ThreadSanitizer cannot see the futex it is built on and
/// reports the slot writes as a race.)
public final class ClaimedWork<Input: Sendable, Output: Sendable>: @unchecked Sendable {
    /// What is to be computed, in order.
    public let inputs: [Input]
    private let slots: UnsafeMutableBufferPointer<Output?>
    private let next = Atomic<Int>(0)

    /// Work over `inputs`, none of it claimed yet.
    public init(_ inputs: [Input]) {
        self.inputs = inputs
        slots = .allocate(capacity: inputs.count)
        slots.initialize(repeating: nil)
    }

    deinit {
        // The slots own their values: deinitialised before they are freed.
        slots.deinitialize()
        slots.deallocate()
    }

    /// Claims and computes inputs with `transform` until none is left unclaimed.
    public func work(_ transform: (Input) -> Output) {
        while true {
            let index = next.add(1, ordering: .relaxed).oldValue
            guard index < inputs.count else { return }
            slots[index] = transform(inputs[index])
        }
    }

    /// Leaves the inputs nobody has claimed yet uncomputed.
    public func cancel() {
        next.store(inputs.count, ordering: .relaxed)
    }

    /// Each input's output, nil for one left uncomputed; only once every `work(_:)` has returned.
    public func outputs() -> [Output?] {
        Array(slots)
    }
}
