/// One decoded inotify event.
struct InotifyEvent: Sendable, Equatable {
    /// The watch descriptor (-1 for a queue overflow).
    var wd: Int32
    /// The `IN_*` bits.
    var mask: UInt32
    /// Pairs `IN_MOVED_FROM` with `IN_MOVED_TO`.
    var cookie: UInt32
    /// The entry's name within the watched directory, as bytes; empty for the directory itself.
    var name: [UInt8]

    /// True when any of `bits` is set.
    func has(_ bits: UInt32) -> Bool { mask & bits != 0 }
}

/// The `IN_*` constants newsd uses, as `UInt32` (Glibc imports some as `Int32`).
enum InotifyMask {
    static let access: UInt32 = 0x0000_0001
    static let modify: UInt32 = 0x0000_0002
    static let attrib: UInt32 = 0x0000_0004
    static let closeWrite: UInt32 = 0x0000_0008
    static let movedFrom: UInt32 = 0x0000_0040
    static let movedTo: UInt32 = 0x0000_0080
    static let create: UInt32 = 0x0000_0100
    static let delete: UInt32 = 0x0000_0200
    static let deleteSelf: UInt32 = 0x0000_0400
    static let moveSelf: UInt32 = 0x0000_0800
    static let unmount: UInt32 = 0x0000_2000
    static let queueOverflow: UInt32 = 0x0000_4000
    static let ignored: UInt32 = 0x0000_8000
    static let onlyDirectory: UInt32 = 0x0100_0000
    static let dontFollow: UInt32 = 0x0200_0000
    static let excludeUnlinked: UInt32 = 0x0400_0000
    static let isDirectory: UInt32 = 0x4000_0000

    /// What newsd watches on every directory. Never `IN_MODIFY` (a file is ready on close or
    /// rename), never `IN_OPEN`/`IN_ACCESS`/`IN_CLOSE_NOWRITE` (our own reads would wake us).
    static let watched: UInt32 =
        attrib | closeWrite | movedFrom | movedTo | create | delete | deleteSelf | moveSelf
        | onlyDirectory | dontFollow | excludeUnlinked
}
