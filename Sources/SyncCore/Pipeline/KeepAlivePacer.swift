import NewsCore

/// Paces the engine's keep-alives to the service manager: the watchdog (`WATCHDOG=1`) at the
/// interval it asks for, and the status line at most once a second, so `systemctl status`
/// shows a scan moving without one sd_notify message per batch.
struct KeepAlivePacer {
    /// How often the watchdog must hear from the engine, in nanoseconds (`nil`: no watchdog).
    let watchdogInterval: UInt64?
    private(set) var nextWatchdog: UInt64 = 0
    private var nextStatusLine: UInt64 = 0

    /// How often the status line is refreshed.
    static let statusLineInterval: UInt64 = 1_000_000_000

    init(watchdogInterval: Duration?) {
        // A zero interval would keep the engine from ever sleeping.
        self.watchdogInterval = watchdogInterval.map { max($0.inNanoseconds, 1_000_000) }
    }

    /// The next time the engine must wake for the watchdog, if there is one.
    var deadline: UInt64? { watchdogInterval == nil ? nil : nextWatchdog }

    /// What is due at `now`, each rescheduled as it is reported.
    mutating func due(at now: UInt64) -> (watchdog: Bool, statusLine: Bool) {
        var watchdog = false
        if let interval = watchdogInterval, now >= nextWatchdog {
            watchdog = true
            nextWatchdog = now + interval
        }
        let statusLine = now >= nextStatusLine
        if statusLine { nextStatusLine = now + Self.statusLineInterval }
        return (watchdog, statusLine)
    }

    /// Keeps the status line as it is until `now` plus one interval (a line saying why a scan
    /// starts stays up a moment before the progress takes its place).
    mutating func holdStatusLine(from now: UInt64) { nextStatusLine = now + Self.statusLineInterval }
}
