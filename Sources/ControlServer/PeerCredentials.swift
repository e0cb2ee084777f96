import Foundation
import Glibc

/// Who is on the other end of a control connection (`SO_PEERCRED`), and whether they may talk.
struct PeerCredentials: Sendable, Equatable {
    var pid: pid_t
    var uid: uid_t
    var gid: gid_t

    /// root, the daemon's own user and members of the socket's group are served.
    ///
    /// Membership counts the peer's primary group from `SO_PEERCRED` and its supplementary
    /// groups as the kernel lists them in `/proc/<pid>/status` (the process's real
    /// credentials, not the group database).
    func isAllowed(daemonUID: uid_t, socketGroup: gid_t?) -> Bool {
        if uid == 0 || uid == daemonUID { return true }
        guard let socketGroup else { return false }
        if gid == socketGroup { return true }
        return supplementaryGroups().contains(socketGroup)
    }

    func supplementaryGroups() -> [gid_t] {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else {
            return []
        }
        for line in status.split(separator: "\n") where line.hasPrefix("Groups:") {
            return line.dropFirst("Groups:".count).split(whereSeparator: { $0 == " " || $0 == "\t" })
                .compactMap { gid_t($0) }
        }
        return []
    }
}
