import Catalogue
import Glibc
import Logging
import NewsCore
import ServiceLifecycle

/// Prunes the change log: entries older than the retention go, periodically, in short
/// transactions beside the engine's writes. Consumers whose cursor falls before the pruned
/// history get a fresh listing from `changes` (never a silent gap).
public struct ChangeLogRetention: Service {
    private let database: AppDatabase
    private let retention: Duration
    private let logger: Logger

    /// Creates the service; `retention` is how long entries are kept.
    public init(database: AppDatabase, retention: Duration, logger: Logger) {
        self.database = database
        self.retention = retention
        self.logger = logger
    }

    /// How often to prune: a quarter of the retention, between one second and one hour.
    var interval: Duration { min(max(retention / 4, .seconds(1)), .seconds(3600)) }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await prune()
            let interval = self.interval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
        logger.info("change-log retention stopped")
    }

    private func prune() async {
        let retentionNanoseconds = Int64(clamping: retention.inNanoseconds)
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let nowNanoseconds = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
        // A retention longer than the epoch's age keeps everything.
        guard retentionNanoseconds < nowNanoseconds else { return }
        let cutoff = nowNanoseconds - retentionNanoseconds
        do {
            let pruned = try await database.pruneChanges(before: cutoff)
            if pruned > 0 {
                logger.info("pruned the change log", metadata: ["entries": "\(pruned)"])
            }
        } catch {
            logger.warning("cannot prune the change log", metadata: ["error": "\(error)"])
        }
    }
}

extension ChangeLogRetention: CustomStringConvertible {
    /// The name service-lifecycle logs for this service (a struct would otherwise print every
    /// field, the logger and the database included).
    public var description: String { "ChangeLogRetention" }
}
