import Dedup
import Foundation
import GRDB

/// Keeps a transaction's analysed contents indexed: their analysis columns, LSH band keys
/// (`content_bands`, and the committed `BandIndex` on commit), search rows and chrome
/// evidence; and hands each added, re-analysed or removed content to `ClusterMaintainer`,
/// which keeps the near links and clusters current.
struct DuplicateIndex {
    let db: Database
    /// The committed band keys of every content; this transaction's changes join it on commit.
    private let bands: BandIndexCache
    /// Band entries added in this transaction (`BandTable.entry`), published on commit.
    private var addedBands: [UInt64] = []
    /// This transaction's contents and their keys, to take their entries back if they are
    /// removed or analysed again before the commit.
    private var addedKeys: [Int64: [UInt32]] = [:]
    /// Contents whose band entries this transaction removed (deleted or re-analysed), with the
    /// keys the entries were under (a file index finds entries by key).
    private var removedBands: [UInt32: [UInt32]] = [:]
    /// Rows for the full-text index, written last in the transaction: FTS5 flushes its
    /// pending terms whenever a later statement opens a statement journal (an upsert, a
    /// RETURNING), so interleaving its inserts with the others would write one tiny segment
    /// per document and make a cold ingest several times slower.
    private var pendingSearch: [(id: Int64, title: String, body: String)] = []
    /// Search rows of re-analysed contents, deleted just before `pendingSearch` is written for
    /// the same reason: deleted where they are found, each one's delete markers would become a
    /// segment of their own (20 contents re-analysed in one transaction would write 21
    /// segments, and the ~70 re-analysed at the end of a cold scan of the corpus would set off
    /// a crisis merge).
    private var staleSearch: [Int64] = []
    /// The short lines of the contents stored and removed, for the corpus-chrome verdicts.
    private var evidence: ChromeEvidenceIndex
    /// The near links and clusters.
    private var clusters: ClusterMaintainer<CatalogClusterGraph>

    private let storeAnalysis: RawStatement
    private let insertText: RawStatement
    private let deleteText: RawStatement
    private let insertAudit: RawStatement
    private let insertBands: RawStatement
    private let deleteBands: RawStatement
    private let selectBands: RawStatement

    init(db: Database, bands: BandIndexCache, chrome: ChromeVerdicts) throws {
        self.db = db
        self.bands = bands
        evidence = try ChromeEvidenceIndex(db: db, verdicts: chrome)
        clusters = ClusterMaintainer(graph: try CatalogClusterGraph(db: db, bands: bands))
        storeAnalysis = try RawStatement(
            db,
            """
            UPDATE contents SET (\(DuplicateIndex.analysisColumns)) = (?, ?, ?, ?, ?, ?, ?, ?) WHERE id = ?
            """)
        insertText = try RawStatement(db, "INSERT INTO search(rowid, title, body) VALUES (?, ?, ?)")
        deleteText = try RawStatement(db, "DELETE FROM search WHERE rowid = ?")
        insertAudit = try RawStatement(
            db, "INSERT OR REPLACE INTO content_audit(content_id, boilerplate) VALUES (?, ?)")
        insertBands = try RawStatement(
            db, "INSERT INTO content_bands(content_id, keys, sketch, shingles) VALUES (?, ?, ?, ?)")
        deleteBands = try RawStatement(db, "DELETE FROM content_bands WHERE content_id = ?")
        selectBands = try RawStatement(db, "SELECT keys FROM content_bands WHERE content_id = ?")
    }

    /// The `contents` columns of an analysis, in the order of `DuplicateIndex.analysisColumns`.
    static func analysisValues(_ analysis: ContentAnalysis) -> [RawStatement.Value] {
        [
            .int(Int64(analysis.version)), .blob(analysis.normalizedHash), .text(analysis.language),
            .real(analysis.languageConfidence), .text(analysis.script),
            analysis.title.map { .text($0) } ?? .null,
            .text(analysis.titleSource.rawValue), analysis.publishedNanoseconds.map { .int($0) } ?? .null,
        ]
    }

    /// The `contents` columns an analysis sets.
    static let analysisColumns =
        "analysis_version, norm_hash, lang, lang_confidence, script, title, title_source, published_ns"

    /// Stores the analysis of content `id` and queues it for its clusters. `isNew`: the
    /// content row was inserted in this transaction with the analysis columns already (one
    /// write of the row and its indexes, not an insert and then an update of three indexed
    /// columns), and it has no bands, text or links to replace.
    mutating func store(_ analysis: ContentAnalysis, for id: Int64, isNew: Bool) throws {
        // Before this transaction's first band entry, so the index holds committed ones only.
        try DuplicateIndex.loadBands(db, into: bands)
        if !isNew {
            // A re-analysed content starts over: its old links, bands and text no longer hold.
            // Detached first, while its row still has the old normalised hash.
            try clusters.detach(id)
            try storeAnalysis.run(DuplicateIndex.analysisValues(analysis) + [.int(id)])
            try removeBands(of: id)
            staleSearch.append(id)
        }
        try insertAudit.run([.int(id), .text(analysis.boilerplateJSON)])
        try evidence.store(analysis, for: id, isNew: isNew)
        pendingSearch.append((id, analysis.searchTitle, analysis.searchBody))
        // Content ids are rowids counted up from 1; one past 32 bits (four billion contents)
        // would not fit the band table's entries, so it is matched by its hashes only.
        var keys: [UInt32] = []
        if !analysis.bandKeys.isEmpty, id <= Int64(UInt32.max) {
            keys = analysis.bandKeys
            try insertBands.run([
                .int(id), .blob(BandTable.encode(keys)),
                analysis.sketch.bytes.isEmpty ? .null : .blob(analysis.sketch.bytes),
                analysis.sketch.shingles.map { .int(Int64($0)) } ?? .null,
            ])
            for key in keys { addedBands.append(BandTable.entry(key: key, content: id)) }
            addedKeys[id] = keys
        }
        clusters.added(id, fingerprintText: analysis.searchBody, keys: keys)
    }

    /// Content `id` is about to be deleted: its band entries and links go, and the cluster it
    /// leaves is checked for a split.
    mutating func willRemove(_ id: Int64) throws {
        try DuplicateIndex.loadBands(db, into: bands)
        try clusters.detach(id)
        try removeBands(of: id)
        try evidence.willRemove(id)
        // Stored earlier in this transaction: its row must not reach the search index.
        pendingSearch.removeAll { $0.id == id }
    }

    private mutating func removeBands(of id: Int64) throws {
        var keys: [UInt32] = []
        try selectBands.query([.int(id)]) { keys = BandTable.decode($0.blob(0)) }
        try deleteBands.run([.int(id)])
        removedBands[UInt32(truncatingIfNeeded: id), default: []].append(contentsOf: keys)
        // Analysed earlier in this same transaction: its entries are not to be published.
        guard let added = addedKeys.removeValue(forKey: id) else { return }
        let dropped = Set(added)
        addedBands.removeAll { dropped.contains(UInt32($0 >> 32)) && Int64($0 & 0xFFFF_FFFF) == id }
    }

    /// Loads `bands` unless it is loaded already (a daemon that starts on an unchanged tree
    /// loads it after READY; otherwise the first new article does): a memory table built from
    /// `content_bands` when its entries fit the memory budget, else the file beside the
    /// catalogue, opened if it was closed cleanly for these rows and rebuilt from them if not.
    /// Call it on the writer only, outside a transaction or before the transaction's first
    /// band entry, so the index holds only committed ones.
    static func loadBands(_ db: Database, into bands: BandIndexCache) throws {
        try bands.index.withLock { index in
            if index == nil { index = try makeBandIndex(db, for: bands) }
        }
    }

    private static func makeBandIndex(_ db: Database, for bands: BandIndexCache) throws -> sending BandIndex {
        let stamp = try bandStamp(db)
        let index: BandIndex
        if stamp.keys <= Int64(bands.memoryLimit) {
            var entries: [UInt64] = []
            entries.reserveCapacity(Int(stamp.keys))
            try forEachBandEntry(RawStatement(db, allBands)) { entries.append($0) }
            index = .memory(BandTable(entries: entries))
            // A file from a larger past of the catalogue would be stale by the time it is needed again.
            unlink(bands.filePath)
        } else if let file = BandFile.open(path: bands.filePath, expecting: stamp) {
            index = .file(file)
        } else {
            index = .file(try buildBandFile(db, at: bands.filePath, entries: Int(stamp.keys)))
        }
        return index
    }

    /// Entries a file build gathers per pass: 1 MiB. (With the heap sort a pass holds 1.1 MB;
    /// 2 MiB passes with the standard sort would hold about 4 MB each: the batch and the
    /// sort's scratch, by arithmetic.)
    static let bandFilePassEntries = 1 << 17

    /// Writes the candidate index file from `content_bands`, a range of home buckets per pass
    /// so a pass holds about `bandFilePassEntries` entries whatever the catalogue's size: the
    /// rows are read once, and their entries dealt to the passes on a scratch file
    /// (`BandFileSpill`) when there is more than one.
    private static func buildBandFile(_ db: Database, at path: String, entries: Int) throws
        -> sending BandFile
    {
        let bucketCount = BandFile.bucketCount(forEntries: entries)
        let passes = max(1, (entries + bandFilePassEntries - 1) / bandFilePassEntries)
        let rows = try RawStatement(db, allBands)
        guard passes > 1 else {
            return try BandFile.build(path: path, bucketCount: bucketCount, passes: 1) { _, _ in
                var batch: [UInt64] = []
                batch.reserveCapacity(entries)
                try forEachBandEntry(rows) { batch.append($0) }
                return batch
            }
        }
        let spill = try BandFileSpill(path: path + ".spill", passes: passes)
        try forEachBandEntry(rows) { entry in
            let home = BandFile.home(ofKey: UInt32(truncatingIfNeeded: entry >> 32), bucketCount: bucketCount)
            try spill.add(entry, toPass: BandFile.pass(ofHome: home, of: passes, bucketCount: bucketCount))
        }
        try spill.finishAdding()
        return try BandFile.build(path: path, bucketCount: bucketCount, passes: passes) { pass, _ in
            try spill.entries(ofPass: pass)
        }
    }

    private static let allBands = "SELECT content_id, keys FROM content_bands"

    /// Calls `body` with every band entry (`BandTable.entry`) of the rows `statement` selects
    /// (content id, keys).
    private static func forEachBandEntry(_ statement: RawStatement, _ body: (UInt64) throws -> Void) throws {
        try statement.query([]) { row in
            let content = row.int(0)
            for key in BandTable.decode(row.blob(1)) { try body(BandTable.entry(key: key, content: content)) }
        }
    }

    /// Marks a file index clean for the catalogue as it is (`AppDatabase.saveCandidateIndex`).
    static func saveBands(_ db: Database, in bands: BandIndexCache) throws {
        let stamp = try bandStamp(db)
        try bands.index.withLock { index in
            if case .file(let file) = index { try file.markClean(stamp) }
        }
    }

    /// What the catalogue's band rows are, as a file index's header records them: the totals
    /// `v13-band-totals` keeps.
    private static func bandStamp(_ db: Database) throws -> BandFile.Stamp {
        var stamp = BandFile.Stamp(rows: 0, generation: 0, keys: 0)
        try RawStatement(db, "SELECT rows, generation, keys FROM band_totals WHERE id = 1").query([]) { row in
            stamp = BandFile.Stamp(rows: row.int(0), generation: row.int(1), keys: row.int(2))
        }
        return stamp
    }

    /// Hands this transaction's band changes to the shared index once it commits (and drops
    /// the index if it rolls back: it may have been loaded mid-transaction).
    func publishBandsOnCommit() {
        let added = addedBands
        let removed = removedBands
        let bands = self.bands
        guard !added.isEmpty || !removed.isEmpty else { return }
        db.afterNextTransaction(
            onCommit: { _ in
                bands.index.withLock {
                    $0.apply(added: added, removed: removed, memoryLimit: bands.memoryLimit)
                }
            },
            onRollback: { _ in bands.index.withLock { $0 = nil } })
    }

    /// Lets the transaction's contents join their clusters, recounts the chrome evidence of
    /// the contents whose cluster changed, and writes the search rows. Runs once, at the end
    /// of the transaction.
    mutating func finish() throws {
        try clusters.finish()
        for id in clusters.relabelled { evidence.relabelled(id) }
        for id in clusters.recounted { try evidence.recount(id) }
        try evidence.finish(db)
        for id in staleSearch { try deleteText.run([.int(id)]) }
        staleSearch.removeAll()
        for row in pendingSearch {
            try insertText.run([.int(row.id), .text(row.title), .text(row.body)])
        }
        pendingSearch.removeAll()
        publishBandsOnCommit()
    }
}
