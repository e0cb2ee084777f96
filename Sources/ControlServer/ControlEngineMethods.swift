import ControlWire
import NewsCore
import SyncCore

/// The methods that ask the engine: `sync`, `rescan`, `pause`, `resume`.
extension ControlHandler {
    func sync() async throws -> SyncResult {
        let hub = context.hub
        let seq = try await engineCall { done in hub.send(.sync(done: done)) }.wireValue()
        return SyncResult(
            state: hub.status.state.rawValue, lastSeq: seq, cursor: context.cursor(seq).description)
    }

    func pause() async throws -> SyncResult {
        let hub = context.hub
        hub.send(.pause)
        // Commands run in order: the barrier after `pause` answers once it has taken effect.
        let result = await engineCall { done in hub.send(.sync(done: done)) }
        let seq = hub.status.lastSeq
        switch result {
        case .failure(.paused):
            return SyncResult(
                state: DaemonState.paused.rawValue, lastSeq: seq, cursor: context.cursor(seq).description)
        case .failure(let error):
            throw ControlError(error)
        case .success:
            // Someone resumed in between.
            return SyncResult(
                state: hub.status.state.rawValue, lastSeq: seq, cursor: context.cursor(seq).description)
        }
    }

    func resume() async throws -> SyncResult {
        let hub = context.hub
        hub.send(.resume)
        // `resume` reconciles what changed meanwhile; the barrier answers after that.
        let seq = try await engineCall { done in hub.send(.sync(done: done)) }.wireValue()
        return SyncResult(
            state: hub.status.state.rawValue, lastSeq: seq, cursor: context.cursor(seq).description)
    }

    func rescan(id: RequestID?, _ params: RescanParams, _ out: ControlResponder) async throws {
        let hub = context.hub
        let clock = ContinuousClock()
        let started = clock.now
        guard params.wait ?? true else {
            hub.send(.rescan(acceptingRoot: params.acceptRoot ?? false, progress: nil, done: nil))
            let seq = hub.status.lastSeq
            let report = RescanReport(
                read: 0, directories: 0, changes: 0, total: 0, seconds: 0, done: false,
                cursor: context.cursor(seq).description)
            try await send { try await out.reply(id, report) }
            return
        }
        let total = try await context.database.readSummary().summary.files
        @Sendable func report(_ step: ReconcileReport, done: Bool, cursor: String?) -> RescanReport {
            let elapsed = clock.now - started
            return RescanReport(
                read: step.read, directories: step.directories, changes: step.changeCount, total: total,
                seconds: elapsed.inSeconds,
                done: done, cursor: cursor)
        }
        let (progress, updates) = AsyncStream.makeStream(
            of: RescanReport.self, bufferingPolicy: .bufferingNewest(1))
        let result = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await step in progress {
                    try await send {
                        try await out.notify(id, method: ControlNotificationMethod.progress, step)
                    }
                }
            }
            let result = await engineCall { done in
                hub.send(
                    .rescan(
                        acceptingRoot: params.acceptRoot ?? false,
                        progress: { step in updates.yield(report(step, done: false, cursor: nil)) },
                        done: done))
            }
            updates.finish()
            try await group.waitForAll()
            return result
        }
        switch result {
        case .success(let final):
            let seq = hub.status.lastSeq
            try await send {
                try await out.reply(id, report(final, done: true, cursor: context.cursor(seq).description))
            }
        case .failure(let error):
            throw ControlError(error)
        }
    }
}

extension Result where Failure == EngineError {
    /// The value, or the engine's failure as a wire error.
    func wireValue() throws(ControlError) -> Success {
        switch self {
        case .success(let value): return value
        case .failure(let error): throw ControlError(error)
        }
    }
}
