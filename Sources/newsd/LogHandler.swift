import Daemon
import Glibc
import Logging
import SyncCore

/// The daemon's log handler: one line per message on stderr (`StderrOutput`), formatted by
/// `LogLineFormatter`.
///
/// Under systemd stderr is the journal (`$JOURNAL_STREAM` matches it), so lines carry a `<N>`
/// priority prefix and no timestamp; elsewhere they start with an ISO 8601 timestamp. Install it
/// once, at start-up: `LoggingSystem.bootstrap { StderrLogHandler(label: $0, level: level) }`.
struct StderrLogHandler: LogHandler {
    /// Decided once per process: stderr does not change destination while the daemon runs.
    private static let formatter = LogLineFormatter(
        style: JournalStream.isConnected(fileDescriptor: STDERR_FILENO) ? .journal : .timestamped)

    /// The logger's label (kept for the `LogHandler` contract; the daemon has one logger tree).
    let label: String
    /// The minimum level written.
    var logLevel: Logger.Level
    /// Metadata attached to every message from this handler's logger.
    var metadata: Logger.Metadata = [:]
    /// Context metadata (e.g. task-local values) merged in at each message.
    var metadataProvider: Logger.MetadataProvider?

    /// A handler for the logger `label` that writes messages at `level` and above (`--log-level`).
    init(label: String, level: Logger.Level, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.logLevel = level
        self.metadataProvider = metadataProvider
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        // Precedence, lowest first: the handler's metadata, the provider's, the call site's.
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        if let error = event.error, merged["error"] == nil { merged["error"] = "\(error)" }
        let line = Self.formatter.format(
            level: event.level, message: event.message.description, metadata: merged)
        StderrOutput.log(line + "\n")
    }
}
