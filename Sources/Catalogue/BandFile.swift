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
/// A key keeps its newest `keptPerKey` entries, not all of them. Lookups want a key's newest
/// `NearLinkPolicy.candidatesPerKey`; a story republished 8,000 times would otherwise be a
/// chain of 250 buckets read whole for each of its 42 keys by every new copy (quadratic in
/// the story's size), and would push its neighbours' entries as far. When a key passes the
/// bound, its oldest entry is dropped and the key's entries are marked (`truncatedKey`, the
/// bit above the 31-bit key): the file then holds every entry of the key above some content
/// id, which is its newest ones as long as it holds `candidatesPerKey` of them. A removal
/// that leaves a marked key with fewer says so, and the caller rebuilds the file.
///
/// The file is derived data: the catalogue's `content_bands` rows are the truth. It is marked
/// dirty (durably) before its first change after opening and clean, with a stamp of the
/// catalogue, only at an orderly close; a file that is dirty, or whose stamp does not match
/// the catalogue, is rebuilt from the rows. A clean close also writes the `fill` table after
/// the buckets, with its checksum in the header, so that opening reads a byte a bucket (552 KB
/// for 256,000 articles) rather than the buckets themselves (141 MB): a `newsd scan` of one new
/// article into the 258,000-article archive of `bench/archive.py` spent 0.16–0.18 s in its
/// writer when opening read the buckets, 0.08–0.09 s with the table.
final class BandFile {
    static let slotsPerBucket = 32
    static let bucketBytes = slotsPerBucket * 8
    static let headerBytes = 4096
    /// Buckets past the last home bucket, for the overflow of the last ones.
    static let spareBuckets = 1024
    /// "NWSBAND1", read as a little-endian `UInt64`.
    static let magic: UInt64 = 0x3144_4E41_4253_574E
    static let formatVersion: UInt64 = 3
    /// The entries a key keeps: its newest, four times what a lookup takes, so that removals
    /// rarely leave a truncated key short (which costs a rebuild).
    static let keptPerKey = 4 * NearLinkPolicy.candidatesPerKey
    /// The bit of an entry that says its key has had older entries dropped.
    static let truncatedKey: UInt64 = 1 << 63
    /// `fill` bits: the bucket's entry count, whether it holds an entry of a truncated key, and
    /// whether an entry had to be stored past it.
    private static let countMask: UInt8 = 0x3F
    private static let holdsTruncated: UInt8 = 0x40
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
    /// The catalogue's entries the file does not hold: dropped from truncated keys.
    private(set) var droppedCount: Int
    /// Whether the header on disk says clean (the file then must be marked dirty before a change).
    private var cleanOnDisk: Bool
    /// Slot writes held back while `insert(contentsOf:)` runs, to be written a window at a time:
    /// the value last written to each slot, by its offset in the file. A bucket read meanwhile
    /// lays them over what the file holds rather than writing them first: inserting into a key
    /// that recurs (a wire paragraph's) reads its chain, and writing everything staged before
    /// each such read made the windows small and the writes many.
    private var staged: [Int: UInt64]?

    private init(
        path: String, fd: Int32, bucketCount: Int, fill: [UInt8], entryCount: Int, droppedCount: Int,
        cleanOnDisk: Bool
    ) {
        self.path = path
        self.fd = fd
        self.bucketCount = bucketCount
        self.fill = fill
        self.entryCount = entryCount
        self.droppedCount = droppedCount
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

    /// The size of a file of `total` buckets (spares included): the header, the buckets and the
    /// fill table.
    private static func fileSize(buckets total: Int) -> Int { offset(ofBucket: total) + total }

    /// The stored key of an entry, without the truncation mark.
    private static func key(of slot: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: slot >> 32) & 0x7FFF_FFFF
    }

    // MARK: Lookups and changes

    /// Adds the contents filed under `key` to `result`.
    func contents(withKey key: UInt32, into result: inout Set<Int64>) throws {
        for held in try entries(ofKey: key) { result.insert(Int64(held.value & 0xFFFF_FFFF)) }
    }

    /// Appends the newest (highest-id) `limit` contents filed under `key` to `result`, for a
    /// `limit` up to `NearLinkPolicy.candidatesPerKey`. The chain is read whole (a bucket holds
    /// entries in arrival order, not by content); `keptPerKey` bounds it.
    func contents(withKey key: UInt32, newest limit: Int, into result: inout [UInt32]) throws {
        var found = try entries(ofKey: key).map { UInt32(truncatingIfNeeded: $0.value) }
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

    /// Stores one entry (or, into a key at `keptPerKey`, drops the key's oldest, or the entry
    /// itself when it is older still). False when it found no room before the end of the spare
    /// buckets (the caller rebuilds the file larger).
    func insert(_ entry: UInt64) throws -> Bool {
        try markDirty()
        let key = BandFile.key(of: entry)
        var stored = entry
        // The key's entries are read only when its chain could hold `keptPerKey` of them or a
        // truncated key's: an ordinary insert reads nothing.
        if chainMayBeTruncatedOrFull(ofKey: key) {
            let held = try entries(ofKey: key)
            if held.count >= BandFile.keptPerKey {
                try dropOldest(of: held, for: entry)
                return true
            }
            if held.contains(where: { $0.value & BandFile.truncatedKey != 0 }) {
                stored |= BandFile.truncatedKey
            }
        }
        var bucket = home(ofKey: key)
        while bucket < fill.count {
            let count = Int(fill[bucket] & BandFile.countMask)
            if count < BandFile.slotsPerBucket {
                try writeSlot(stored, bucket: bucket, slot: count)
                fill[bucket] += 1
                if stored & BandFile.truncatedKey != 0 { fill[bucket] |= BandFile.holdsTruncated }
                entryCount += 1
                return true
            }
            fill[bucket] |= BandFile.overflowed
            bucket += 1
        }
        return false
    }

    /// Stores `entries` as `insert` stores each (in the order given: a transaction's, ascending),
    /// with the slots written a window of up to `stagingWindow` bytes at a time rather than one
    /// `pwrite` per slot: 2,000 new articles (84,000 entries) into the 64,000-article archive
    /// of `bench/archive.py` took the writer 2.83 s with a write per slot, 1.19–1.29 s staged,
    /// the kernel's write path having been 30% of the samples. False as `insert`.
    func insert(contentsOf entries: [UInt64]) throws -> Bool {
        staged = Dictionary(minimumCapacity: entries.count)
        defer { staged = nil }
        for entry in entries where try !insert(entry) {
            try flushStaged()
            return false
        }
        try flushStaged()
        return true
    }

    /// The most bytes of slots one staged write covers: a page. At 256,000 articles the writes
    /// of a transaction fall a few to a page across the whole file, so wider windows copied most
    /// of it in and out for nothing: the flushes of 2,000 new articles took 0.11 s in 64 KiB
    /// windows, 0.08 s in 4 KiB ones (as in 256-byte ones).
    static let stagingWindow = 4 << 10

    /// Writes the staged slots: each run of them within `stagingWindow` bytes as one read of
    /// the span, the slots set in it, and one write back; a slot alone, as itself.
    private func flushStaged() throws {
        guard var writes = staged.map({ Array($0) }), !writes.isEmpty else { return }
        staged = [:]
        // By offset (the dictionary kept a slot staged twice at its last value).
        writes.sort { $0.key < $1.key }
        var start = 0
        while start < writes.count {
            let first = writes[start].key
            var end = start + 1
            while end < writes.count, writes[end].key + 8 - first <= BandFile.stagingWindow { end += 1 }
            if end - start == 1 {
                try writeSlot(at: first, writes[start].value)
            } else {
                var span = [UInt8](repeating: 0, count: writes[end - 1].key + 8 - first)
                try span.withUnsafeMutableBytes { try read(into: $0, at: first) }
                span.withUnsafeMutableBytes { bytes in
                    for write in writes[start..<end] {
                        bytes.storeBytes(
                            of: write.value.littleEndian, toByteOffset: write.key - first, as: UInt64.self)
                    }
                }
                try span.withUnsafeBytes { try write($0, at: first) }
            }
            start = end
        }
    }

    /// Whether `key`'s chain holds `keptPerKey` entries in all, or an entry of a truncated key:
    /// from `fill`, without reading the file.
    private func chainMayBeTruncatedOrFull(ofKey key: UInt32) -> Bool {
        var bucket = home(ofKey: key)
        var total = 0
        while bucket < fill.count {
            if fill[bucket] & BandFile.holdsTruncated != 0 { return true }
            total += Int(fill[bucket] & BandFile.countMask)
            if total >= BandFile.keptPerKey { return true }
            guard fill[bucket] & BandFile.overflowed != 0 else { return false }
            bucket += 1
        }
        return false
    }

    /// Where `key`'s entries are stored, and their values (the mark included).
    private func entries(ofKey key: UInt32) throws -> [(bucket: Int, slot: Int, value: UInt64)] {
        var held: [(bucket: Int, slot: Int, value: UInt64)] = []
        try visitChain(ofKey: key) { bucket, slots in
            for (slot, value) in slots.enumerated() where BandFile.key(of: value) == key {
                held.append((bucket, slot, value))
            }
            return false
        }
        return held
    }

    /// `entry`'s key holds `keptPerKey` entries (`held`): the oldest of them and `entry` is
    /// dropped, and the others are marked as a truncated key's.
    private func dropOldest(of held: [(bucket: Int, slot: Int, value: UInt64)], for entry: UInt64) throws {
        droppedCount += 1
        let content = { (value: UInt64) in value & 0xFFFF_FFFF }
        guard let oldest = held.indices.min(by: { content(held[$0].value) < content(held[$1].value) }),
            content(entry) > content(held[oldest].value)
        else {
            // Older than every entry kept: the entry itself is the one dropped.
            return
        }
        for (index, place) in held.enumerated() {
            let value = index == oldest ? entry | BandFile.truncatedKey : place.value | BandFile.truncatedKey
            if value != place.value { try writeSlot(value, bucket: place.bucket, slot: place.slot) }
            fill[place.bucket] |= BandFile.holdsTruncated
        }
    }

    private func writeSlot(_ value: UInt64, bucket: Int, slot: Int) throws {
        let offset = BandFile.offset(ofBucket: bucket) + slot * 8
        if staged != nil {
            staged?[offset] = value
        } else {
            try writeSlot(at: offset, value)
        }
    }

    private func writeSlot(at offset: Int, _ value: UInt64) throws {
        var stored = value.littleEndian
        try withUnsafeBytes(of: &stored) { bytes in try write(bytes, at: offset) }
    }

    /// Removes the entries of `content` under `keys` (keys it has no entry under are skipped).
    /// False when a truncated key is left with fewer than `NearLinkPolicy.candidatesPerKey`
    /// entries: its newest are then among those the file dropped, and it must be rebuilt.
    func remove(content: UInt32, keys: [UInt32]) throws -> Bool {
        try markDirty()
        var complete = true
        for key in keys {
            let entry = BandTable.entry(key: key, content: Int64(content))
            var found = false
            var truncated = false
            var left = 0
            try visitChain(ofKey: key) { bucket, slots in
                if !found, let index = slots.firstIndex(where: { $0 & ~BandFile.truncatedKey == entry }) {
                    found = true
                    truncated = truncated || slots[index] & BandFile.truncatedKey != 0
                    // Keep the bucket packed: its last entry fills the hole.
                    slots[index] = slots[slots.count - 1]
                    slots[slots.count - 1] = 0
                    try writeSlots(slots, of: bucket)
                    fill[bucket] -= 1
                    entryCount -= 1
                }
                for slot in slots where slot != 0 && BandFile.key(of: slot) == key {
                    left += 1
                    truncated = truncated || slot & BandFile.truncatedKey != 0
                }
                return false
            }
            // Not in the file: dropped from a truncated key.
            if !found && droppedCount > 0 {
                droppedCount -= 1
                truncated = true
            }
            if truncated && left < NearLinkPolicy.candidatesPerKey { complete = false }
        }
        return complete
    }

    private func readSlots(of bucket: Int, into slots: UnsafeMutableBufferPointer<UInt64>) throws {
        let offset = BandFile.offset(ofBucket: bucket)
        try read(into: UnsafeMutableRawBufferPointer(slots), at: offset)
        for index in slots.indices { slots[index] = UInt64(littleEndian: slots[index]) }
        // A read sees the slots staged before it.
        if let staged, !staged.isEmpty {
            for index in slots.indices {
                if let value = staged[offset + index * 8] { slots[index] = value }
            }
        }
    }

    /// Writes `slots` back from the bucket's start (the caller zeroed the one it emptied).
    private func writeSlots(_ slots: UnsafeMutableBufferPointer<UInt64>, of bucket: Int) throws {
        try flushStaged()
        let image = slots.map(\.littleEndian)
        try image.withUnsafeBytes { try write($0, at: BandFile.offset(ofBucket: bucket)) }
    }

    // MARK: Clean and dirty

    /// The catalogue's band rows as the header records them, to recognise a file made for them:
    /// how many rows, a count of their changes, and how many keys they hold.
    struct Stamp: Equatable {
        var rows: Int64
        var generation: Int64
        var keys: Int64
    }

    /// Marks the file clean for the catalogue described by `stamp`, durably. Refused (the file
    /// stays dirty, and is rebuilt on next use) when the entries it holds and those it dropped
    /// are not `stamp.keys`.
    func markClean(_ stamp: Stamp) throws {
        guard Int64(entryCount + droppedCount) == stamp.keys else { return }
        try flushStaged()
        try fill.withUnsafeBytes { try write($0, at: BandFile.offset(ofBucket: fill.count)) }
        // The buckets and the table durable before the header says clean.
        guard fdatasync(fd) == 0 else {
            throw BandFileError.io(path: path, operation: "fdatasync", errno: errno)
        }
        try writeHeader(clean: true, stamp: stamp)
        cleanOnDisk = true
    }

    private func markDirty() throws {
        guard cleanOnDisk else { return }
        try writeHeader(clean: false, stamp: Stamp(rows: 0, generation: 0, keys: 0))
        cleanOnDisk = false
    }

    private func writeHeader(clean: Bool, stamp: Stamp) throws {
        let header: [UInt64] = [
            BandFile.magic, BandFile.formatVersion, UInt64(bucketCount), clean ? 1 : 0,
            UInt64(bitPattern: stamp.rows), UInt64(bitPattern: stamp.generation),
            UInt64(bitPattern: stamp.keys), UInt64(droppedCount), clean ? BandFile.checksum(fill) : 0,
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
        var header = [UInt64](repeating: 0, count: 9)
        let got = header.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard got == 72 else { return nil }
        header = header.map { UInt64(littleEndian: $0) }
        guard header[0] == magic, header[1] == formatVersion, header[3] == 1,
            header[4] == UInt64(bitPattern: stamp.rows), header[5] == UInt64(bitPattern: stamp.generation),
            header[6] == UInt64(bitPattern: stamp.keys), header[2] > 0, header[2] < 1 << 32,
            header[7] <= header[6]
        else { return nil }
        let bucketCount = Int(header[2])
        let dropped = Int(header[7])
        let total = bucketCount + spareBuckets
        var status = stat()
        guard fstat(fd, &status) == 0, Int(status.st_size) == fileSize(buckets: total) else { return nil }
        // The fill table as the clean close wrote it: its checksum, and its counts adding up to
        // the catalogue's, say it is that close's. The buckets are trusted with it; they were
        // durable before the header said clean.
        var fill = [UInt8](repeating: 0, count: total)
        let read = fill.withUnsafeMutableBytes { pread(fd, $0.baseAddress, total, offset(ofBucket: total)) }
        guard read == total, checksum(fill) == header[8] else { return nil }
        var entries = 0
        for bucketFill in fill {
            let count = Int(bucketFill & countMask)
            guard count <= slotsPerBucket else { return nil }
            entries += count
        }
        guard Int64(entries + dropped) == stamp.keys else { return nil }
        return BandFile(
            path: path, fd: fd, bucketCount: bucketCount, fill: fill, entryCount: entries,
            droppedCount: dropped,
            cleanOnDisk: true)
    }

    /// FNV-1a 64 over the fill table, never 0 (the header's "none").
    static func checksum(_ fill: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in fill { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return max(hash, 1)
    }

    /// Writes a new file at `path` (atomically replacing any old one) holding the entries that
    /// `entries(pass, homes)` returns for each of `passes` ranges of home buckets (`passRange`);
    /// each call returns the entries whose home (`home(ofKey:bucketCount:)`) lies in the range,
    /// in any order. Each key keeps its newest `keptPerKey`. The file is left open, dirty.
    static func build(
        path: String, bucketCount: Int, passes: Int,
        entries: (_ pass: Int, _ homes: Range<Int>) throws -> [UInt64]
    ) throws -> sending BandFile {
        let building = path + ".new"
        let fd = Glibc.open(building, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw BandFileError.io(path: building, operation: "open", errno: errno) }
        var keep = false
        defer { if !keep { close(fd) } }
        let total = bucketCount + spareBuckets
        guard ftruncate(fd, off_t(fileSize(buckets: total))) == 0 else {
            throw BandFileError.io(path: building, operation: "ftruncate", errno: errno)
        }
        var fill = [UInt8](repeating: 0, count: total)
        var writer = SequentialBucketWriter(fd: fd, path: building, buckets: total)
        var bucket = 0  // the bucket being filled
        var count = 0
        var dropped = 0
        for pass in 0..<max(1, passes) {
            let range = passRange(pass, of: passes, bucketCount: bucketCount)
            var batch = try entries(pass, range)
            heapSort(&batch)
            dropped += keepNewest(&batch)
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
                if entry & truncatedKey != 0 { fill[bucket] |= holdsTruncated }
            }
        }
        try writer.flush()
        let file = BandFile(
            path: path, fd: fd, bucketCount: bucketCount, fill: fill,
            entryCount: fill.reduce(0) { $0 + Int($1 & countMask) }, droppedCount: dropped, cleanOnDisk: true)
        try file.markDirty()
        guard rename(building, path) == 0 else {
            throw BandFileError.io(path: path, operation: "rename", errno: errno)
        }
        keep = true
        return file
    }

    /// The home buckets `build`'s pass `pass` of `passes` writes.
    static func passRange(_ pass: Int, of passes: Int, bucketCount: Int) -> Range<Int> {
        (pass * bucketCount / passes)..<((pass + 1) * bucketCount / passes)
    }

    /// The pass of `passes` whose range holds home bucket `home`: the last pass p whose range
    /// starts at or before it, p·B/P rounded down ≤ home, that is p < (home + 1)·P/B.
    static func pass(ofHome home: Int, of passes: Int, bucketCount: Int) -> Int {
        ((home + 1) * passes - 1) / bucketCount
    }

    /// Keeps each key's newest `keptPerKey` entries of sorted `entries` (marked as a truncated
    /// key's where some were dropped), in place; returns how many it dropped.
    static func keepNewest(_ entries: inout [UInt64]) -> Int {
        var kept = 0
        var start = 0
        while start < entries.count {
            var end = start + 1
            while end < entries.count, key(of: entries[end]) == key(of: entries[start]) { end += 1 }
            let first = max(start, end - keptPerKey)
            for index in first..<end {
                entries[kept] = entries[index] | (first > start ? truncatedKey : 0)
                kept += 1
            }
            start = end
        }
        let dropped = entries.count - kept
        entries.removeLast(dropped)
        return dropped
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
