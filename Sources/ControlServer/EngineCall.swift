import NIOCore
import SyncCore
import Synchronization

/// Waits for an engine command's `done` callback without outliving the waiting task: if the
/// task is cancelled (the connection closes, the daemon shuts down) the wait ends at once with
/// `.stopping`, and the engine's later answer is dropped.
func engineCall<T: Sendable>(
    _ start: (@escaping @Sendable (Result<T, EngineError>) -> Void) -> Void
) async -> Result<T, EngineError> {
    let box = OneShot<Result<T, EngineError>>()
    return await withTaskCancellationHandler {
        await withCheckedContinuation { continuation in
            box.install(continuation)
            start { box.resume($0) }
        }
    } onCancel: {
        box.resume(.failure(.stopping))
    }
}

/// Waits for `future` without outliving the waiting task: cancellation ends the wait at once.
func awaitCancellable<T: Sendable>(_ future: EventLoopFuture<T>) async -> Result<T, any Error> {
    let box = OneShot<Result<T, any Error>>()
    return await withTaskCancellationHandler {
        await withCheckedContinuation { continuation in
            box.install(continuation)
            future.whenComplete { box.resume($0) }
        }
    } onCancel: {
        box.resume(.failure(CancellationError()))
    }
}

/// A continuation that is resumed exactly once, by whichever comes first; a value that
/// arrives before the continuation is installed is kept for it.
final class OneShot<Value: Sendable>: Sendable {
    private enum State {
        case empty
        case waiting(CheckedContinuation<Value, Never>)
        case early(Value)
        case done
    }

    private let state = Mutex<State>(.empty)

    func install(_ continuation: CheckedContinuation<Value, Never>) {
        let early: Value? = state.withLock { state in
            switch state {
            case .empty:
                state = .waiting(continuation)
                return nil
            case .early(let value):
                state = .done
                return value
            case .waiting, .done:
                return nil
            }
        }
        if let early { continuation.resume(returning: early) }
    }

    func resume(_ value: Value) {
        let waiting: CheckedContinuation<Value, Never>? = state.withLock { state in
            switch state {
            case .empty:
                state = .early(value)
                return nil
            case .waiting(let continuation):
                state = .done
                return continuation
            case .early, .done:
                return nil
            }
        }
        waiting?.resume(returning: value)
    }
}
