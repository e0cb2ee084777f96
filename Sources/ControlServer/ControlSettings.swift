import Foundation
import Glibc

/// How the control socket is served, resolved from options and the environment.
public struct ControlSettings: Sendable {
    /// Where to create the socket when systemd does not pass one.
    public var socketPath: String
    /// The group to give the socket file (`nil`: the daemon's own group).
    public var socketGroup: gid_t?
    /// The socket file's permissions (default 0660: the daemon's user and the group).
    public var socketMode: mode_t
    /// Clients served at once; more are refused with `too_many_clients`.
    public var maxClients: Int
    /// A connection with no request in progress for this long is closed.
    public var idleTimeout: Duration
    /// How long the change log keeps entries.
    public var retention: Duration

    /// The default limit on clients.
    public static let defaultMaxClients = 64
    /// The default idle timeout: 10 minutes.
    public static let defaultIdleTimeout = Duration.seconds(600)
    /// The default change-log retention: 7 days.
    public static let defaultRetention = Duration.seconds(7 * 24 * 3600)

    /// Creates settings.
    public init(
        socketPath: String, socketGroup: gid_t? = nil, socketMode: mode_t = 0o660,
        maxClients: Int = ControlSettings.defaultMaxClients,
        idleTimeout: Duration = ControlSettings.defaultIdleTimeout,
        retention: Duration = ControlSettings.defaultRetention
    ) {
        self.socketPath = socketPath
        self.socketGroup = socketGroup
        self.socketMode = socketMode
        self.maxClients = maxClients
        self.idleTimeout = idleTimeout
        self.retention = retention
    }

    /// The socket's default path: `$RUNTIME_DIRECTORY/newsd.sock` under systemd, else
    /// `<state>/newsd.sock`.
    public static func defaultSocketPath(
        stateDirectory: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        if let runtime = environment["RUNTIME_DIRECTORY"], !runtime.isEmpty {
            let first = runtime.split(separator: ":").first.map(String.init) ?? runtime
            return first + "/newsd.sock"
        }
        return stateDirectory + "/newsd.sock"
    }

    /// Resolves a group name or numeric id; `nil` when there is no such group.
    public static func group(named nameOrID: String) -> gid_t? {
        if let id = gid_t(nameOrID) { return id }
        guard let entry = getgrnam(nameOrID) else { return nil }
        return entry.pointee.gr_gid
    }

    /// Parses durations such as `90`, `30s`, `10m`, `12h` or `7d` (a bare number is seconds).
    public static func parseDuration(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Int64)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            guard let value = Int64(trimmed.dropLast()), value >= 0 else { return nil }
            let (seconds, overflow) = value.multipliedReportingOverflow(by: factor)
            return overflow ? nil : .seconds(seconds)
        }
        guard let value = Int64(trimmed), value >= 0 else { return nil }
        return .seconds(value)
    }
}
