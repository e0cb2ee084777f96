import SyncCore

/// Tells systemd how the engine is doing: `READY=1`, `STATUS=…` and `WATCHDOG=1`.
public struct SystemdEngineNotifier: EngineNotifier {
    public let systemd: SystemdNotifier

    /// Wraps a notifier built from the process environment.
    public init(systemd: SystemdNotifier = SystemdNotifier()) { self.systemd = systemd }

    public func ready(status: String) { systemd.ready(status: status) }
    public func status(_ text: String) { systemd.status(text) }
    public func watchdog() { systemd.watchdog() }
    public var watchdogInterval: Duration? { systemd.watchdogInterval }
    public func extendStartTimeout(by duration: Duration) { systemd.extendTimeout(by: duration) }
}
