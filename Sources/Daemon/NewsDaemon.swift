import Catalogue
import Foundation
import Logging
import ServiceLifecycle
import SyncCore
import UnixSignals

/// The daemon as a `Service`: its `run()` is the engine's whole life.
///
/// It starts the engine on its own thread, turns SIGHUP into a rescan, and on graceful
/// shutdown (SIGTERM/SIGINT through the `ServiceGroup`) asks the engine to finish the batch in
/// flight and stop; `run()` returns once the engine thread has ended. Everything else (the
/// control socket) reaches the engine through `hub`. See `services` for the group's order.
public final class NewsDaemon: Service, Sendable {
    public let hub: EngineHub
    private let settings: Settings
    private let engineSettings: EngineSettings
    private let database: AppDatabase
    private let logger: Logger
    private let notifier: any EngineNotifier
    private let onStopping: @Sendable () -> Void
    private let onReload: @Sendable (_ starting: Bool) -> Void

    /// Creates the daemon over an opened catalogue. `onStopping` runs once shutdown begins
    /// (it sends `STOPPING=1`); `onReload` before and after a SIGHUP rescan (`RELOADING=1`,
    /// then `READY=1`).
    public init(
        settings: Settings, engineSettings: EngineSettings, database: AppDatabase, logger: Logger,
        notifier: any EngineNotifier, onStopping: @escaping @Sendable () -> Void = {},
        onReload: @escaping @Sendable (_ starting: Bool) -> Void = { _ in }
    ) {
        self.hub = EngineHub()
        self.settings = settings
        self.engineSettings = engineSettings
        self.database = database
        self.logger = logger
        self.notifier = notifier
        self.onStopping = onStopping
        self.onReload = onReload
    }

    public func run() async throws {
        let engine = Engine(
            settings: settings, engineSettings: engineSettings, database: database, hub: hub, logger: logger,
            notifier: notifier)
        let hub = self.hub
        let onStopping = self.onStopping
        let onReload = self.onReload
        let logger = self.logger
        let signals = await UnixSignalsSequence(trapping: .sighup)
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask {
                    for await _ in signals.cancelOnGracefulShutdown() {
                        // `systemctl reload`: RELOADING=1 now, READY=1 once the rescan is done.
                        logger.info("SIGHUP: rescanning")
                        onReload(true)
                        _ = try? await hub.rescan()
                        onReload(false)
                    }
                }
                await Self.runOnDedicatedThread(engine)
                // The engine has stopped: end the signal listener too.
                group.cancelAll()
            }
        } onGracefulShutdown: {
            onStopping()
            hub.send(.stop)
        }
    }

    /// The daemon's services in the order the `ServiceGroup` starts them. Graceful shutdown
    /// (SIGTERM, SIGINT) stops them one at a time in reverse, each after the one before has
    /// returned:
    ///
    /// 1. `server`: stops accepting and closes the open connections (a request waiting on the
    ///    engine ends with `shutting_down`), so no request waits on a stopped engine;
    /// 2. the daemon: the engine commits the batch in flight, marks the candidate index file
    ///    clean and its thread ends;
    /// 3. `retention`: a pruning in progress finishes;
    /// 4. `checkpointer`: hands checkpoints back to the writer and copies the WAL, which holds
    ///    every write of the others by then.
    public func services(
        server: any Service, retention: ChangeLogRetention, checkpointer: WALCheckpointer
    ) -> [any Service] {
        [checkpointer, retention, self, server]
    }

    /// Runs the engine on a thread of its own and returns when it ends.
    private static func runOnDedicatedThread(_ engine: Engine) async {
        let box = EngineBox(engine: engine)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                box.engine.run()
                continuation.resume()
            }
            thread.name = "newsd-engine"
            thread.start()
        }
    }
}

/// Hands the engine (which is confined to one thread) to the thread that will run it.
private struct EngineBox: @unchecked Sendable {
    let engine: Engine
}
