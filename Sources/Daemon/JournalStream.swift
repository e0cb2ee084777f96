import Foundation
import Glibc

/// Whether a descriptor is connected to systemd's journal (`systemd.exec(5)`, `$JOURNAL_STREAM`).
///
/// systemd sets `JOURNAL_STREAM=DEV:INODE` (decimal) for a service whose stdout or stderr goes
/// to the journal. The variable is inherited by children whose output goes elsewhere, so it
/// alone proves nothing: the descriptor's own `st_dev`/`st_ino` must match it.
public enum JournalStream {
    /// Whether `fileDescriptor` (stderr by default) is the stream `$JOURNAL_STREAM` names.
    public static func isConnected(
        fileDescriptor: Int32 = STDERR_FILENO,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Bool {
        guard let value = environment["JOURNAL_STREAM"], let expected = parse(value) else { return false }
        var st = stat()
        guard fstat(fileDescriptor, &st) == 0 else { return false }
        return UInt64(st.st_dev) == expected.device && UInt64(st.st_ino) == expected.inode
    }

    /// Parses `DEV:INODE`, or `nil` when it is not two decimal numbers.
    public static func parse(_ value: String) -> (device: UInt64, inode: UInt64)? {
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else {
            return nil
        }
        return (device, inode)
    }
}
