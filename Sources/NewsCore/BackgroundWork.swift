import Dispatch
import Synchronization

/// A value computed on another thread while the caller gets on with something else;
/// `wait()` blocks until it is ready and returns it (or rethrows what the work threw).
public final class BackgroundWork<Value: Sendable>: Sendable {
    private let group = DispatchGroup()
    private let result = Mutex<Result<Value, any Error>?>(nil)

    /// Starts `work` on a global queue at once.
    public init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global().async(group: group) { [self] in
            let outcome = Result { try work() }
            result.withLock { $0 = outcome }
        }
    }

    /// The work's value, once it has finished.
    public func wait() throws -> Value {
        group.wait()
        // The group has left, so the result is set.
        guard let outcome = result.withLock({ $0 }) else {
            preconditionFailure("background work left no result")
        }
        return try outcome.get()
    }
}
