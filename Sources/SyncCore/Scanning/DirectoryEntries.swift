import Glibc
import NewsCore

/// The entries of an open directory stream other than `.` and `..`, one at a time, straight
/// from readdir's buffer: `body` gets each name as bytes and as a C string (both valid only
/// during the call, so a caller copies a name only when it keeps it) and the entry's `d_type`,
/// and returns false to stop. Returns readdir's error, if it failed.
func forEachEntry(
    of directory: OpaquePointer,
    _ body: (_ name: UnsafeRawBufferPointer, _ cName: UnsafePointer<CChar>, _ type: UInt8) -> Bool
) -> SystemError? {
    while true {
        errno = 0
        guard let dirent = readdir(directory) else {
            return errno == 0 ? nil : SystemError("readdir")
        }
        let type = dirent.pointee.d_type
        let goOn = withUnsafePointer(to: &dirent.pointee.d_name) { pointer in
            pointer.withMemoryRebound(to: CChar.self, capacity: 256) { cName in
                let name = UnsafeRawBufferPointer(start: cName, count: strlen(cName))
                if name.count <= 2, name.allSatisfy({ $0 == UInt8(ascii: ".") }) { return true }  // `.`, `..`
                return body(name, cName, type)
            }
        }
        if !goOn { return nil }
    }
}
