import ArgumentParser
import Catalogue
import ControlServer
import ControlWire
import Daemon
import Foundation
import Logging
import NewsCore
import ServiceLifecycle
import SyncCore

/// `newsd run`: the daemon. Watches the tree and keeps the catalogue in step with it.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Watch the tree and keep the catalogue in step with it (the default).",
        discussion: """
            Signals: SIGTERM or SIGINT finish the batch in flight and exit 0; SIGHUP rescans.
            Under systemd (Type=notify) newsd reports READY=1, STATUS= lines, WATCHDOG=1 and STOPPING=1.
            Exit status: 0 after a signal; 1 on a failure; 65 when the catalogue is damaged (the message \
            says how to rebuild it); 64 for bad options.
            """
    )

    @OptionGroup var tree: TreeOptions
    @OptionGroup var control: ControlOptions
    @OptionGroup var rebuild: RebuildOptions

    @Option(
        help: ArgumentHelp(
            "Quiet period before a changed path is ingested, in milliseconds.", valueName: "ms"))
    var settle: UInt64 = 5

    @Option(
        help: ArgumentHelp(
            "Longest a busy path waits, however often it changes, in milliseconds.", valueName: "ms"))
    var settleCap: UInt64 = 1000

    @Option(
        help: ArgumentHelp(
            "Period of the safety-net full reconcile, in seconds (jittered ±25%).", valueName: "s"))
    var reconcileInterval: UInt64 = 3600

    @Option(
        help: ArgumentHelp(
            "Period of polling what cannot be watched (and a missing root), in seconds.", valueName: "s"))
    var pollInterval: UInt64 = 5

    @Option(
        help: ArgumentHelp(
            "Log level: trace, debug, info, notice, warning, error or critical.", valueName: "level"))
    var logLevel: String = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError(
                "--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        guard settle <= settleCap else { throw ValidationError("--settle must not exceed --settle-cap") }
        guard reconcileInterval > 0, pollInterval > 0 else {
            throw ValidationError("--reconcile-interval and --poll-interval must be positive")
        }
        // Bounds well past any use, so that the engine's deadlines (now plus an interval on the
        // monotonic clock, in nanoseconds) cannot overflow.
        guard settleCap <= 86_400_000 else {
            throw ValidationError("--settle-cap must be at most 86400000 ms (a day)")
        }
        guard reconcileInterval <= 31_536_000 else {
            throw ValidationError("--reconcile-interval must be at most 31536000 s (a year)")
        }
        guard pollInterval <= 86_400 else {
            throw ValidationError("--poll-interval must be at most 86400 s (a day)")
        }
    }

    func run() async throws {
        MallocTuning.apply()
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in StderrLogHandler(label: label, level: level) }
        let logger = Logger(label: "newsd")
        let settings: Settings
        let lock: InstanceLock
        do {
            settings = try tree.settings()
            try FileManager.default.createDirectory(
                atPath: settings.stateDirectory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o750])
            // One daemon per state directory: take the lock before touching the catalogue.
            lock = try InstanceLock.acquire(stateDirectory: settings.stateDirectory)
        } catch {
            throw fail("\(error)")
        }
        logger.info(
            "starting",
            metadata: [
                "version": "\(NewsdVersion.string)", "root": "\(settings.tree.root)",
                "state": "\(settings.stateDirectory)", "pid": "\(ProcessInfo.processInfo.processIdentifier)",
            ])
        let database: AppDatabase
        let controlSettings: ControlSettings
        let listener: ControlListener
        do {
            database = try CatalogStartup(
                stateDirectory: settings.stateDirectory, candidateMemory: tree.candidateMemoryBytes,
                uncleanStopPID: lock.uncleanStopPID, rebuildIfDamaged: rebuild.rebuildDamagedCatalogue
            ).open(logger: logger)
            // The socket is bound (and a live daemon's left alone) before anything starts, so a
            // client can connect as soon as READY=1 is sent.
            controlSettings = control.settings(stateDirectory: settings.stateDirectory)
            listener = try ControlListener.open(settings: controlSettings)
        } catch {
            // A start that gives up stops cleanly: whatever it wrote (a migration) was one
            // transaction, committed or rolled back.
            lock.recordCleanStop()
            if case CatalogError.damaged(let path, let reason) = error {
                throw DamagedCatalogue.fail(
                    path: path, reason: reason, subcommand: "run",
                    stateFromEnvironment: tree.stateFromEnvironment)
            }
            throw fail("\(error)")
        }
        var engineSettings = EngineSettings()
        engineSettings.settle = .milliseconds(settle)
        engineSettings.settleCap = .milliseconds(settleCap)
        engineSettings.reconcileInterval = .seconds(reconcileInterval)
        engineSettings.pollInterval = .seconds(pollInterval)

        let systemd = SystemdNotifier()
        let daemon = NewsDaemon(
            settings: settings, engineSettings: engineSettings, database: database, logger: logger,
            notifier: SystemdEngineNotifier(systemd: systemd),
            onStopping: {
                systemd.stopping()
                logger.info("stopping")
            },
            onReload: { starting in
                if starting {
                    systemd.reloading()
                } else {
                    systemd.ready(status: "watching (rescanned on SIGHUP)")
                }
            })
        let retention = ChangeLogRetention(
            database: database, retention: controlSettings.retention, logger: logger)
        let server = ControlServer(
            listener: listener, hub: daemon.hub, database: database, tree: settings.tree,
            settings: controlSettings,
            logger: logger)
        let checkpointer = WALCheckpointer(database: database, deferringRestarts: true, logger: logger)
        // Services stop in reverse order (see `NewsDaemon.services`): the control socket, the
        // engine, the pruning, the checkpointer.
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: daemon.services(server: server, retention: retention, checkpointer: checkpointer),
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
        lock.recordCleanStop()
        logger.info("stopped")
    }
}
