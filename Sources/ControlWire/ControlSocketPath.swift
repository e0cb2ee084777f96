import Foundation

/// Where a client finds the daemon's control socket when not told: the same for `newsctl` and
/// `newsweb`.
public enum ControlSocketPath {
    /// The `--socket` option's help.
    public static let help =
        "The daemon's control socket (default: $NEWSD_SOCKET, else ./.newsd/newsd.sock, else "
        + "/run/newsd/newsd.sock, else /run/newsd.sock)."

    /// The socket to use: `option`, `$NEWSD_SOCKET`, then the first default that exists.
    public static func resolve(_ option: String?) -> String {
        if let option { return option }
        if let fromEnvironment = ProcessInfo.processInfo.environment["NEWSD_SOCKET"], !fromEnvironment.isEmpty
        {
            return fromEnvironment
        }
        let candidates = ["./.newsd/newsd.sock", "/run/newsd/newsd.sock", "/run/newsd.sock"]
        return candidates.first { FileManager.default.fileExists(atPath: $0) } ?? "/run/newsd/newsd.sock"
    }
}
