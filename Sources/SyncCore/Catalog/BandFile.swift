import Dedup
import Glibc

/// The near-duplicate candidate index on disk, for a catalogue whose band entries outgrow
/// `BandTable`'s memory budget: a hash file beside the catalogue, read and written with
/// `pread`/`pwrite`, so the daemon's memory stays flat however large the catalogue grows (the
/// kernel's page cache holds the file: shared, and reclaimable under pressure).
///
/// Layout: a 4 KiB header, then `bucketCount + spareBuckets` buckets of 32 little-endian
/// `UInt64` slots (256 bytes). A slot holds a `BandTable.entry` (never 0: content ids count
/// from 1), packed from the bucket's front. An entry lives in its home bucket — its key
/// scaled to the bucket count, so buckets follow key order and a build writes the file front
/// to back — or, when that is full, in the next bucket with room; the buckets it passed are
/// marked as overflowed in `fill`, so a lookup knows to read on.
///
/// The file is derived data: the catalogue's `content_bands` rows are the truth. It is marked
/// dirty (durably) before its first change after opening and clean, with a stamp of the
/// catalogue, only at an orderly close; a file that is dirty, or whose stamp does not match
/// the catalogue, is rebuilt from the rows.
final class BandFile {
    static let slotsPerBucket = 32
    static let bucketBytes = slotsPerBucket * 8
    static let headerBytes = 4096
    /// Buckets past the last home bucket, for the overflow of the last ones.
    static let spareBuckets = 1024
    /// "NWSBAND1", read as a little-endian `UInt64`.
    static let magic: UInt64 = 0x3144_4E41_4253_574E
    static let formatVersion: UInt64 = 1
    /// `fill` bits: the bucket's entry count, and whether an entry had to be stored past it.
    private static let countMask: UInt8 = 0x3F
    private static let overflowed: UInt8 = 0x80

    let path: String
    /// Home buckets (the file holds `spareBuckets` more).
    let bucketCount: Int
    private let fd: Int32
    /// Per bucket (spares included): its entry count and overflow bit. One byte per 32 slots:
    /// 280 KB for 100,000 articles.
    private var fill: [UInt8]
    /// The entries the file holds.
    private(set) var entryCount: Int
    /// Whether the header on disk says clean (the file then must be marked dirty before a change).
    private var cleanOnDisk: Bool

    private init(path: String, fd: Int32, bucketCount: Int, fill: [UInt8], entryCount: Int, cleanOnDisk: Bool)
    {
        self.path = path
        self.fd = fd
        self.bucketCount = bucketCount
        self.fill = fill
        self.entryCount = entryCount
        self.cleanOnDisk = cleanOnDisk
    }

    deinit { close(fd) }

    /// Home buckets for `entries` entries: half full on average, so an overflow is rare.
    static func bucketCount(forEntries entries: Int) -> Int {
        max(1024, (entries + slotsPerBucket / 2 - 1) / (slotsPerBucket / 2))
    }

    /// Whether the file is full enough (80%) to be rebuilt larger.
    var isCrowded: Bool { entryCount * 5 > bucketCount * BandFile.slotsPerBucket * 4 }

    /// The home bucket of a 31-bit stored key.
    func home(ofKey key: UInt32) -> Int { BandFile.home(ofKey: key, bucketCount: bucketCount) }

    static func home(ofKey key: UInt32, bucketCount: Int) -> Int {
        Int((UInt64(key & 0x7FFF_FFFF) &* UInt64(bucketCount)) >> 31)
    }

    private static func offset(ofBucket bucket: Int) -> Int { headerBytes + bucket * bucketBytes }

    // MARK: Lookups and changes

    /// Adds the contents filed under `key` to `result`.
    func contents(withKey key: UInt32, into result: inout Set<Int64>) throws {
        try visitChain(ofKey: key) { _, slots in
            for slot in slots where UInt32(truncatingIfNeeded: slot >> 32) == key {
                result.insert(Int64(slot & 0xFFFF_FFFF))
            }
            return false
        }
    }

    /// Appends the newest (highest-id) `limit` contents filed under `key` to `result`. The
    /// chain is still read whole: a bucket holds entries in arrival order, not by content.
    func contents(withKey key: UInt32, newest limit: Int, into result: inout [UInt32]) throws {
        var found: [UInt32] = []
        try visitChain(ofKey: key) { _, slots in
            for slot in slots where UInt32(truncatingIfNeeded: slot >> 32) == key {
                found.append(UInt32(truncatingIfNeeded: slot))
            }
            return false
        }
        if found.count > limit { found.sort(by: >) }
        result.append(contentsOf: found.prefix(limit))
    }

    /// Calls `body` with the entries of each non-empty bucket where entries of `key` may be
    /// stored — its home bucket, then on while a bucket is marked overflowed — until `body`
    /// returns true (done). `body` may change the slots and `writeSlots` them.
    private func visitChain(
        ofKey key: UInt32, _ body: (_ bucket: Int, _ slots: UnsafeMutableBufferPointer<UInt64>) throws -> Bool
    ) throws {
        var bucket = home(ofKey: key)
        try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: BandFile.slotsPerBucket) { buffer in
            while bucket < fill.count {
                let count = Int(fill[bucket] & BandFile.countMask)
                if count > 0 {
                    let slots = UnsafeMutableBufferPointer(rebasing: buffer.prefix(count))
                    try readSlots(of: bucket, into: slots)
                    if try body(bucket, slots) { return }
                }
                guard fill[bucket] & BandFile.overflowed != 0 else { return }
                bucket += 1
            }
        }
    }

    /// Stores one entry. False when it found no room before the end of the spare buckets (the
    /// caller rebuilds the file larger).
    func insert(_ entry: UInt64) throws -> Bool {
        try markDirty()
        var bucket = home(ofKey: UInt32(truncatingIfNeeded: entry >> 32))
        while bucket < fill.count {
            let count = Int(fill[bucket] & BandFile.countMask)
            if count < BandFile.slotsPerBucket {
                var value = entry.littleEndian
                try withUnsafeBytes(of: &value) { bytes in
                    try write(bytes, at: BandFile.offset(ofBucket: bucket) + count * 8)
                }
                fill[bucket] += 1
                entryCount += 1
                return true
            }
            fill[bucket] |= BandFile.overflowed
            bucket += 1
        }
        return false
    }

    /// Removes the entries of `content` under `keys` (keys it has no entry under are skipped).
    func remove(content: UInt32, keys: [UInt32]) throws {
        try markDirty()
        for key in keys {
            let entry = BandTable.entry(key: key, content: Int64(content))
            try visitChain(ofKey: key) { bucket, slots in
                guard let index = slots.firstIndex(of: entry) else { return false }
                // Keep the bucket packed: its last entry fills the hole.
                slots[index] = slots[slots.count - 1]
                slots[slots.count - 1] = 0
                try writeSlots(slots, of: bucket)
                fill[bucket] -= 1
                entryCount -= 1
                return true
            }
        }
    }

    private func readSlots(of bucket: Int, into slots: UnsafeMutableBufferPointer<UInt64>) throws {
        try read(into: UnsafeMutableRawBufferPointer(slots), at: BandFile.offset(ofBucket: bucket))
        for index in slots.indices { slots[index] = UInt64(littleEndian: slots[index]) }
    }

    /// Writes `slots` back from the bucket's start (the caller zeroed the one it emptied).
    private func writeSlots(_ slots: UnsafeMutableBufferPointer<UInt64>, of bucket: Int) throws {
        let image = slots.map(\.littleEndian)
        try image.withUnsafeBytes { try write($0, at: BandFile.offset(ofBucket: bucket)) }
    }

    // MARK: Clean and dirty

    /// The catalogue's band rows as the header records them, to recognise a file made for them.
    struct Stamp: Equatable {
        var rows: Int64
        var maxContent: Int64
        var keys: Int64
    }

    /// Marks the file clean for the catalogue described by `stamp`, durably. Refused (the file
    /// stays dirty, and is rebuilt on next use) when the file does not hold `stamp.keys` entries.
    func markClean(_ stamp: Stamp) throws {
        guard Int64(entryCount) == stamp.keys else { return }
        try writeHeader(clean: true, stamp: stamp)
        cleanOnDisk = true
    }

    private func markDirty() throws {
        guard cleanOnDisk else { return }
        try writeHeader(clean: false, stamp: Stamp(rows: 0, maxContent: 0, keys: 0))
        cleanOnDisk = false
    }

    private func writeHeader(clean: Bool, stamp: Stamp) throws {
        let header: [UInt64] = [
            BandFile.magic, BandFile.formatVersion, UInt64(bucketCount), clean ? 1 : 0,
            UInt64(bitPattern: stamp.rows), UInt64(bitPattern: stamp.maxContent),
            UInt64(bitPattern: stamp.keys),
        ].map(\.littleEndian)
        try header.withUnsafeBytes { try write($0, at: 0) }
        guard fdatasync(fd) == 0 else {
            throw BandFileError.io(path: path, operation: "fdatasync", errno: errno)
        }
    }

    // MARK: Opening and building

    /// Opens the file at `path` if it is a clean one made for `stamp`; nil otherwise (missing,
    /// dirty, another format, another catalogue, or inconsistent inside).
    static func open(path: String, expecting stamp: Stamp) -> sending BandFile? {
        let fd = Glibc.open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        guard let file = validated(fd: fd, path: path, stamp: stamp) else {
            close(fd)
            return nil
        }
        return file
    }

    private static func validated(fd: Int32, path: String, stamp: Stamp) -> sending BandFile? {
        var header = [UInt64](repeating: 0, count: 7)
        let got = header.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard got == 56 else { return nil }
        header = header.map { UInt64(littleEndian: $0) }
        guard header[0] == magic, header[1] == formatVersion, header[3] == 1,
            header[4] == UInt64(bitPattern: stamp.rows), header[5] == UInt64(bitPattern: stamp.maxContent),
            header[6] == UInt64(bitPattern: stamp.keys), header[2] > 0, header[2] < 1 << 32
        else { return nil }
        let bucketCount = Int(header[2])
        let total = bucketCount + spareBuckets
        var status = stat()
        guard fstat(fd, &status) == 0, Int(status.st_size) == offset(ofBucket: total) else { return nil }
        // The fill table is not stored: one sequential read recomputes it, and checks that every
        // bucket is packed and every entry sits at or after its home.
        var fill = [UInt8](repeating: 0, count: total)
        var entries = 0
        let chunkBuckets = 4096
        var chunk = [UInt64](repeating: 0, count: chunkBuckets * slotsPerBucket)
        var first = 0
        while first < total {
            let buckets = min(chunkBuckets, total - first)
            let bytes = buckets * bucketBytes
            let read = chunk.withUnsafeMutableBytes {
                pread(fd, $0.baseAddress, bytes, offset(ofBucket: first))
            }
            guard read == bytes else { return nil }
            for index in 0..<buckets {
                let bucket = first + index
                var count = 0
                for slot in 0..<slotsPerBucket {
                    let value = UInt64(littleEndian: chunk[index * slotsPerBucket + slot])
                    if value == 0 { break }
                    let home = home(ofKey: UInt32(truncatingIfNeeded: value >> 32), bucketCount: bucketCount)
                    guard home <= bucket, value & 0xFFFF_FFFF != 0 else { return nil }
                    for passed in home..<bucket { fill[passed] |= overflowed }
                    count += 1
                }
                for slot in count..<slotsPerBucket where chunk[index * slotsPerBucket + slot] != 0 {
                    return nil
                }
                fill[bucket] |= UInt8(count)
                entries += count
            }
            first += buckets
        }
        guard Int64(entries) == stamp.keys else { return nil }
        return BandFile(
            path: path, fd: fd, bucketCount: bucketCount, fill: fill, entryCount: entries, cleanOnDisk: true)
    }

    /// Writes a new file at `path` (atomically replacing any old one) holding the entries that
    /// `entries(homes)` returns for each range of home buckets, in `passes` ranges; each call
    /// returns the entries whose home (`home(ofKey:bucketCount:)`) lies in the range, in any
    /// order. The file is left open, dirty.
    static func build(
        path: String, bucketCount: Int, passes: Int, entries: (Range<Int>) throws -> [UInt64]
    ) throws -> sending BandFile {
        let building = path + ".new"
        let fd = Glibc.open(building, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw BandFileError.io(path: building, operation: "open", errno: errno) }
        var keep = false
        defer { if !keep { close(fd) } }
        let total = bucketCount + spareBuckets
        guard ftruncate(fd, off_t(offset(ofBucket: total))) == 0 else {
            throw BandFileError.io(path: building, operation: "ftruncate", errno: errno)
        }
        var fill = [UInt8](repeating: 0, count: total)
        var writer = SequentialBucketWriter(fd: fd, path: building, buckets: total)
        var bucket = 0  // the bucket being filled
        var count = 0
        for pass in 0..<max(1, passes) {
            let range = (pass * bucketCount / passes)..<((pass + 1) * bucketCount / passes)
            var batch = try entries(range)
            heapSort(&batch)
            for entry in batch {
                let home = home(ofKey: UInt32(truncatingIfNeeded: entry >> 32), bucketCount: bucketCount)
                if home > bucket {
                    bucket = home
                    count = 0
                }
                while count == slotsPerBucket {
                    fill[bucket] |= overflowed
                    bucket += 1
                    guard bucket < total else { throw BandFileError.full(path: path) }
                    count = 0
                }
                try writer.put(entry, bucket: bucket, slot: count)
                count += 1
                fill[bucket] += 1
            }
        }
        try writer.flush()
        let file = BandFile(
            path: path, fd: fd, bucketCount: bucketCount, fill: fill,
            entryCount: fill.reduce(0) { $0 + Int($1 & countMask) }, cleanOnDisk: true)
        try file.markDirty()
        guard rename(building, path) == 0 else {
            throw BandFileError.io(path: path, operation: "rename", errno: errno)
        }
        keep = true
        return file
    }

    /// Sorts in place, with no scratch buffer (the standard library's sort takes one of half
    /// the array: a megabyte more in each pass of a build).
    static func heapSort(_ values: inout [UInt64]) {
        values.withUnsafeMutableBufferPointer { heap in
            let count = heap.count
            func siftDown(_ start: Int, _ end: Int) {
                var root = start
                while 2 * root + 1 < end {
                    var child = 2 * root + 1
                    if child + 1 < end && heap[child] < heap[child + 1] { child += 1 }
                    guard heap[root] < heap[child] else { return }
                    heap.swapAt(root, child)
                    root = child
                }
            }
            for start in stride(from: count / 2 - 1, through: 0, by: -1) { siftDown(start, count) }
            for end in stride(from: count - 1, to: 0, by: -1) {
                heap.swapAt(0, end)
                siftDown(0, end)
            }
        }
    }

    // MARK: I/O

    private func read(into bytes: UnsafeMutableRawBufferPointer, at offset: Int) throws {
        let got = pread(fd, bytes.baseAddress, bytes.count, off_t(offset))
        guard got == bytes.count else {
            throw BandFileError.io(path: path, operation: "pread", errno: got < 0 ? errno : EIO)
        }
    }

    private func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        let put = pwrite(fd, bytes.baseAddress, bytes.count, off_t(offset))
        guard put == bytes.count else {
            throw BandFileError.io(path: path, operation: "pwrite", errno: put < 0 ? errno : ENOSPC)
        }
    }
}

/// Writes a build's buckets front to back through a 64 KiB staging area: one `pwrite` per 256
/// buckets instead of one per entry.
private struct SequentialBucketWriter {
    let fd: Int32
    let path: String
    /// Buckets in the file: the last stage is cut there.
    let buckets: Int
    static let stagedBuckets = 256
    private var stage = [UInt64](repeating: 0, count: stagedBuckets * BandFile.slotsPerBucket)
    private var first = 0
    private var dirty = false

    init(fd: Int32, path: String, buckets: Int) {
        self.fd = fd
        self.path = path
        self.buckets = buckets
    }

    mutating func put(_ entry: UInt64, bucket: Int, slot: Int) throws {
        if bucket >= first + SequentialBucketWriter.stagedBuckets {
            try flush()
            first = bucket
        }
        stage[(bucket - first) * BandFile.slotsPerBucket + slot] = entry.littleEndian
        dirty = true
    }

    mutating func flush() throws {
        guard dirty else { return }
        let offset = off_t(BandFile.headerBytes + first * BandFile.bucketBytes)
        let bytes = min(SequentialBucketWriter.stagedBuckets, buckets - first) * BandFile.bucketBytes
        let put = stage.withUnsafeBytes { pwrite(fd, $0.baseAddress, bytes, offset) }
        guard put == bytes else {
            throw BandFileError.io(path: path, operation: "pwrite", errno: put < 0 ? errno : ENOSPC)
        }
        for index in stage.indices { stage[index] = 0 }
        dirty = false
    }
}

/// Why the candidate index file could not be used; the daemon logs it and rebuilds the file.
enum BandFileError: Error, CustomStringConvertible {
    case io(path: String, operation: String, errno: Int32)
    case full(path: String)

    var description: String {
        switch self {
        case .io(let path, let operation, let code):
            "candidate index \(path): \(operation) failed: \(String(cString: strerror(code)))"
        case .full(let path):
            "candidate index \(path): no room past the last bucket"
        }
    }
}
