import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// The daemon as a `Service`: its `run()` is the engine's whole life.
///
/// It starts the engine on its own thread, turns SIGHUP into a rescan, and on graceful
/// shutdown (SIGTERM/SIGINT through the `ServiceGroup`) asks the engine to finish the batch in
/// flight and stop. Everything else (the control socket) reaches the engine through `hub`.
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
        let checkpointer = WALCheckpointer(database: database)
        do {
            try checkpointer.start()
        } catch {
            // SQLite's own checkpoints stay on: a slower commit now and then, nothing lost.
            logger.warning("cannot start the background checkpointer", metadata: ["error": "\(error)"])
        }
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
        checkpointer.stop()
        try? database.checkpoint()
        do {
            try database.saveCandidateIndex()
        } catch {
            // The next start rebuilds the file from the catalogue: slower, nothing lost.
            logger.warning("cannot mark the candidate index file clean", metadata: ["error": "\(error)"])
        }
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
