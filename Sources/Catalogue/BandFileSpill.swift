import Glibc

/// A candidate index file build's entries, dealt by pass (`BandFile.passRange`) onto a scratch
/// file in one read of `content_bands`, so that each pass of `BandFile.build` reads back its
/// own entries instead of every row again. A pass holds a bounded number of entries, so the
/// passes grow with the catalogue (82 at 256,000 articles), and a row read per pass made a
/// build quadratic in the catalogue's size: the builds of a cold `newsd scan` of the
/// 256,000-article archive of `bench/archive.py` were 5.7% of its profile samples.
///
/// Memory: one block of `blockEntries` per pass in the making (4 KiB), and where each pass's
/// blocks lie. The scratch file is unlinked as soon as it is made, so it never outlives the
/// build; it takes 8 bytes an entry while it lasts (86 MB at 256,000 articles).
final class BandFileSpill {
    static let blockEntries = 512

    private let fd: Int32
    private let path: String
    /// Per pass, the entries not yet written.
    private var pending: [[UInt64]]
    /// Per pass, where its written blocks lie.
    private var blocks: [[(offset: Int, count: Int)]]
    private var end = 0

    init(path: String, passes: Int) throws {
        fd = Glibc.open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw BandFileError.io(path: path, operation: "open", errno: errno) }
        unlink(path)
        self.path = path
        pending = Array(repeating: [], count: passes)
        blocks = Array(repeating: [], count: passes)
    }

    deinit { close(fd) }

    func add(_ entry: UInt64, toPass pass: Int) throws {
        if pending[pass].isEmpty { pending[pass].reserveCapacity(BandFileSpill.blockEntries) }
        pending[pass].append(entry)
        if pending[pass].count == BandFileSpill.blockEntries { try write(pass) }
    }

    /// Writes the entries each pass still holds in memory: call it once every entry is added.
    func finishAdding() throws {
        for pass in pending.indices { try write(pass) }
        pending = []
    }

    /// The entries dealt to `pass`, in no particular order.
    func entries(ofPass pass: Int) throws -> [UInt64] {
        let total = blocks[pass].reduce(0) { $0 + $1.count }
        var result = [UInt64](repeating: 0, count: total)
        try result.withUnsafeMutableBytes { buffer in
            var at = 0
            for block in blocks[pass] {
                let bytes = block.count * 8
                let got = pread(fd, buffer.baseAddress?.advanced(by: at), bytes, off_t(block.offset))
                guard got == bytes else {
                    throw BandFileError.io(path: path, operation: "pread", errno: got < 0 ? errno : EIO)
                }
                at += bytes
            }
        }
        return result
    }

    private func write(_ pass: Int) throws {
        let count = pending[pass].count
        guard count > 0 else { return }
        let bytes = count * 8
        let put = pending[pass].withUnsafeBytes { pwrite(fd, $0.baseAddress, bytes, off_t(end)) }
        guard put == bytes else {
            throw BandFileError.io(path: path, operation: "pwrite", errno: put < 0 ? errno : ENOSPC)
        }
        blocks[pass].append((end, count))
        end += bytes
        pending[pass].removeAll(keepingCapacity: true)
    }
}
