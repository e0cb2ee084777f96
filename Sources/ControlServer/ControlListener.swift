import ControlWire
import Foundation
import Glibc

/// The listening control socket: created at `--socket` (replacing a stale one, never a live
/// one), or taken from systemd (`$LISTEN_FDS`), in which case it is never unlinked.
public final class ControlListener: Sendable {
    /// The listening descriptor; `ControlServer` takes it over (and closes it).
    public let descriptor: Int32
    /// The socket's path, when it has one.
    public let path: String?
    /// Whether systemd passed the socket (socket activation).
    public let activated: Bool
    /// The socket file's group: its members may use the socket.
    public let group: gid_t?
    /// The socket file's identity when newsd created it, to unlink only what is still ours.
    private let identity: (device: UInt64, inode: UInt64)?

    private init(
        descriptor: Int32, path: String?, activated: Bool, group: gid_t?, identity: (UInt64, UInt64)?
    ) {
        self.descriptor = descriptor
        self.path = path
        self.activated = activated
        self.group = group
        self.identity = identity
    }

    /// The first socket systemd passes (`SD_LISTEN_FDS_START`).
    static let firstActivatedDescriptor: Int32 = 3

    /// Takes the socket systemd passed when `$LISTEN_PID` is this process, else creates one at
    /// `settings.socketPath` with `settings.socketMode` and `settings.socketGroup`.
    public static func open(
        settings: ControlSettings, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ControlListenerError) -> ControlListener {
        if let listener = try activated(environment: environment) { return listener }
        return try create(settings: settings)
    }

    /// Removes the socket file if newsd created it and it is still the same file.
    func unlinkIfOwned() {
        guard !activated, let path, let identity else { return }
        var st = stat()
        guard lstat(path, &st) == 0, UInt64(st.st_dev) == identity.device, UInt64(st.st_ino) == identity.inode
        else { return }
        unlink(path)
    }

    // MARK: socket activation

    private static func activated(environment: [String: String]) throws(ControlListenerError)
        -> ControlListener?
    {
        guard let pid = environment["LISTEN_PID"].flatMap({ pid_t($0) }), pid == getpid(),
            let count = environment["LISTEN_FDS"].flatMap({ Int32($0) }), count >= 1
        else { return nil }
        // The variables are for this process only, not for anything it starts.
        unsetenv("LISTEN_PID")
        unsetenv("LISTEN_FDS")
        unsetenv("LISTEN_FDNAMES")
        let fd = firstActivatedDescriptor
        var type: Int32 = 0
        var accepting: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &length) == 0 else {
            throw ControlListenerError("systemd passed descriptor 3, but it is not a socket (\(lastError()))")
        }
        length = socklen_t(MemoryLayout<Int32>.size)
        _ = getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length)
        guard type == Int32(SOCK_STREAM.rawValue), accepting == 1 else {
            throw ControlListenerError(
                "systemd passed a socket that is not a listening stream socket; use ListenStream= in newsd.socket"
            )
        }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        let path = boundPath(fd)
        var group: gid_t?
        if let path {
            var st = stat()
            if stat(path, &st) == 0 { group = st.st_gid }
        }
        return ControlListener(descriptor: fd, path: path, activated: true, group: group, identity: nil)
    }

    /// The filesystem path a Unix socket is bound to, if any.
    private static func boundPath(_ fd: Int32) -> String? {
        var address = sockaddr_un()
        var length = socklen_t(MemoryLayout<sockaddr_un>.size)
        let got = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard got == 0, address.sun_family == sa_family_t(AF_UNIX) else { return nil }
        let bytes = withUnsafeBytes(of: address.sun_path) { Array($0) }
        guard let first = bytes.first, first != 0 else { return nil }  // unnamed or abstract
        return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    // MARK: creating the socket

    private static func create(settings: ControlSettings) throws(ControlListenerError) -> ControlListener {
        let path = settings.socketPath
        guard Array(path.utf8).count < MemoryLayout.size(ofValue: sockaddr_un().sun_path) else {
            throw ControlListenerError(
                "the socket path \(path) is longer than a Unix socket address allows (107 bytes); "
                    + "choose a shorter --socket")
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            do {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o755])
            } catch {
                throw ControlListenerError(
                    "cannot create the socket's directory \(directory): \(error.localizedDescription)")
            }
        }
        try removeStale(path)

        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ControlListenerError("cannot create a socket: \(lastError())") }
        // Bind with a umask that leaves only the owner in, then open up to the requested mode
        // once the group is set: nobody else can connect in between.
        let previous = umask(0o177)
        let bound = withAddress(path) { bind(fd, $0, $1) }
        let bindErrno = errno
        umask(previous)
        guard bound == 0 else {
            close(fd)
            throw ControlListenerError(
                "cannot bind the control socket at \(path): \(String(cString: strerror(bindErrno))); "
                    + "check the directory's permissions or choose another --socket")
        }
        func fail(_ message: String) -> ControlListenerError {
            close(fd)
            unlink(path)
            return ControlListenerError(message)
        }
        if let group = settings.socketGroup, chown(path, uid_t.max, group) != 0 {
            throw fail("cannot give the socket \(path) to group \(group): \(lastError())")
        }
        guard chmod(path, settings.socketMode) == 0 else {
            throw fail("cannot set the mode of \(path): \(lastError())")
        }
        guard listen(fd, 128) == 0 else { throw fail("cannot listen on \(path): \(lastError())") }
        var st = stat()
        guard lstat(path, &st) == 0 else { throw fail("cannot stat \(path): \(lastError())") }
        return ControlListener(
            descriptor: fd, path: path, activated: false, group: st.st_gid,
            identity: (UInt64(st.st_dev), UInt64(st.st_ino)))
    }

    /// Unlinks a socket file nobody listens on; refuses to touch a live one or a non-socket.
    private static func removeStale(_ path: String) throws(ControlListenerError) {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        guard st.st_mode & S_IFMT == S_IFSOCK else {
            throw ControlListenerError(
                "\(path) exists and is not a socket; remove it or choose another --socket")
        }
        let probe = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard probe >= 0 else { throw ControlListenerError("cannot create a socket: \(lastError())") }
        defer { close(probe) }
        let connected = withAddress(path) { connect(probe, $0, $1) }
        let code = errno
        if connected == 0 || code == EAGAIN {
            throw ControlListenerError(
                "another newsd is already serving the control socket \(path); stop it first "
                    + "(newsctl --socket \(path) status shows it), or choose another --socket")
        }
        guard code == ECONNREFUSED else {
            throw ControlListenerError(
                "cannot tell whether the socket \(path) is in use (\(String(cString: strerror(code)))); "
                    + "remove it if no newsd runs, or choose another --socket")
        }
        // Nobody listens: a crashed daemon left it behind.
        guard unlink(path) == 0 || errno == ENOENT else {
            throw ControlListenerError("cannot remove the stale socket \(path): \(lastError())")
        }
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}

/// Why the control socket could not be set up, worded for the person starting newsd.
public struct ControlListenerError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}
