import Foundation
import Glibc
import NewsCore

/// The inotify instance: the only place newsd calls the inotify system calls.
public final class Inotify {
    /// The inotify descriptor (non-blocking, close-on-exec), for `poll`.
    public let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    /// Creates an instance; fails with `EMFILE` when `fs.inotify.max_user_instances` is reached.
    public init() throws(SystemError) {
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        if fd < 0 { throw SystemError("inotify_init1") }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Watches the directory at `path` (an absolute C path). Returns the watch descriptor;
    /// adding a directory already watched returns its existing descriptor.
    func addWatch(_ path: [CChar], mask: UInt32 = InotifyMask.watched) -> Result<Int32, SystemError> {
        let wd = inotify_add_watch(fd, path, mask)
        return wd < 0 ? .failure(SystemError("inotify_add_watch")) : .success(wd)
    }

    /// Stops watching `wd` (the kernel then queues `IN_IGNORED` for it).
    func removeWatch(_ wd: Int32) {
        _ = inotify_rm_watch(fd, wd)
    }

    /// Reads every event queued now, without blocking, or only the first `limit` bytes of them
    /// (a size `queuedBytes` gave: whole events, as the kernel only appends to its queue).
    /// An event split across `read` calls cannot happen: the kernel returns whole events only.
    func readAvailable(limit: Int? = nil) -> [InotifyEvent] {
        var events: [InotifyEvent] = []
        var left = limit ?? Int.max
        while left > 0 {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, min($0.count, left)) }
            if n < 0 {
                if errno == EINTR { continue }
                return events  // EAGAIN: drained (EINVAL: a limit shorter than the next event)
            }
            if n == 0 { return events }
            decode(count: n, into: &events)
            left -= n
        }
        return events
    }

    /// Bytes of events the kernel holds for the instance on `fd` and nobody has read yet
    /// (`FIONREAD`), or `nil` when the kernel does not say. It only reads the queue's size, so
    /// any thread may ask while another reads the events.
    static func queuedBytes(fd: Int32) -> Int? {
        var bytes: Int32 = 0
        guard ioctl(fd, UInt(FIONREAD), &bytes) == 0 else { return nil }
        return Int(bytes)
    }

    /// The events `queuedBytes` amounts to, at the size of an event whose name has up to 15
    /// bytes (a header of 16 and the NUL-padded name); at least one when any byte waits.
    static func estimatedEvents(queuedBytes: Int) -> Int {
        (queuedBytes + 31) / 32
    }

    private func decode(count: Int, into events: inout [InotifyEvent]) {
        buffer.withUnsafeBytes { raw in
            let headerSize = MemoryLayout<inotify_event>.size
            var offset = 0
            while offset + headerSize <= count {
                let wd = raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)
                let mask = raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                let cookie = raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self)
                let length = Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                let nameStart = offset + headerSize
                var name = Array(raw[nameStart..<min(nameStart + length, count)])
                // The name is NUL-padded to an alignment boundary.
                if let end = name.firstIndex(of: 0) { name.removeSubrange(end...) }
                events.append(InotifyEvent(wd: wd, mask: mask, cookie: cookie, name: name))
                offset = nameStart + length
            }
        }
    }

    /// The per-user watch limit (`fs.inotify.max_user_watches`), when readable.
    static var maxUserWatches: Int? { readSysctl("/proc/sys/fs/inotify/max_user_watches") }

    /// The per-instance queue length (`fs.inotify.max_queued_events`), when readable.
    public static var maxQueuedEvents: Int? { readSysctl("/proc/sys/fs/inotify/max_queued_events") }

    private static func readSysctl(_ path: String) -> Int? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 32)
        let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { return nil }
        return Int(
            String(decoding: bytes[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
