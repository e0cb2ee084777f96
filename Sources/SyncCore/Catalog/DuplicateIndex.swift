import Foundation
import GRDB

/// Keeps the near-duplicate index and the clusters current inside one write transaction.
///
/// Every analysed content has LSH band keys (stored per content in `content_bands`, looked
/// up in the `BandIndex`: in memory, or a file for a large catalogue); a content sharing a key with another is a candidate, and every candidate pair is verified exactly (Jaccard and containment over the
/// shingles, recomputed from the stored fingerprint text) before an edge is stored. Clusters
/// are connected components over exact (same content row), normalised (same `norm_hash`) and
/// verified near edges, cut by `Clusterer`'s guard against chaining. After the transaction's
/// file operations, the components around every content that was added, re-analysed or
/// removed are recomputed, so the clusters are always what the current files say.
struct DuplicateIndex {
    let db: Database
    /// The committed band keys of every content; this transaction's changes join it on commit.
    private let bands: BandIndexCache
    /// Band entries added in this transaction (`BandTable.entry`), sorted when `finish` finds
    /// this transaction's candidates in them. (A dictionary of arrays by key was ~6% of the
    /// writer's time in a cold ingest: 21,500 small arrays per transaction, made and freed.)
    private var addedBands: [UInt64] = []
    /// Contents whose band entries this transaction removed (deleted or re-analysed), with the
    /// keys the entries were under (a file index finds entries by key).
    private var removedBands: [UInt32: [UInt32]] = [:]
    /// Contents whose component must be recomputed at the end of the transaction.
    private(set) var seeds: Set<Int64> = []
    /// Fingerprint shingles computed in this transaction, by content id, and how many
    /// values they hold together.
    private var shingleCache: [Int64: [UInt64]] = [:]
    private var shingleCacheValues = 0
    /// Shingle values the cache may hold (2 MiB). Bounded by values, not entries: a text at
    /// the analysed-prefix limit has ~250,000 shingles, and six republications of the corpus's
    /// 2.2 MB `index.tsv` in one transaction held 13 MB of a 100,000-file cold start's peak
    /// when the cache counted 64 entries.
    static let shingleCacheBudget = 1 << 18
    /// Newly analysed contents and their fingerprint text, waiting for candidate search.
    private var fresh: [(id: Int64, body: String, bands: [UInt32])] = []
    /// Rows for the full-text index, written last in the transaction: FTS5 flushes its
    /// pending terms whenever a later statement opens a statement journal (an upsert, a
    /// RETURNING), so interleaving its inserts with the others wrote one tiny segment per
    /// document and made a cold ingest several times slower (measured: 11 s of 22).
    private var pendingSearch: [(id: Int64, title: String, body: String)] = []
    /// Search rows of re-analysed contents, deleted just before `pendingSearch` is written for
    /// the same reason: deleted where they were found, each one's delete markers became a
    /// segment of their own (20 contents re-analysed in one transaction wrote 21 segments;
    /// at the end of a cold scan of the corpus the ~70 re-analysed ones set off a crisis merge).
    private var staleSearch: [Int64] = []
    /// The short lines of the contents stored and removed, for the corpus-chrome verdicts.
    private var evidence: ChromeEvidenceIndex

    private let storeAnalysis: RawStatement
    private let insertText: RawStatement
    private let deleteText: RawStatement
    private let insertAudit: RawStatement
    private let insertBands: RawStatement
    private let deleteBands: RawStatement
    private let selectBands: RawStatement
    private let selectEdgesOf: RawStatement
    private let deleteEdgesOf: RawStatement
    private let insertEdge: RawStatement
    private let selectBody: RawStatement
    private let selectSameNorm: RawStatement
    private let selectSha: RawStatement
    private let updateCluster: RawStatement

    init(db: Database, bands: BandIndexCache, chrome: ChromeVerdicts) throws {
        self.db = db
        self.bands = bands
        evidence = try ChromeEvidenceIndex(db: db, verdicts: chrome)
        storeAnalysis = try RawStatement(
            db,
            """
            UPDATE contents SET (\(DuplicateIndex.analysisColumns)) = (?, ?, ?, ?, ?, ?, ?, ?) WHERE id = ?
            """)
        insertText = try RawStatement(db, "INSERT INTO search(rowid, title, body) VALUES (?, ?, ?)")
        deleteText = try RawStatement(db, "DELETE FROM search WHERE rowid = ?")
        insertAudit = try RawStatement(
            db, "INSERT OR REPLACE INTO content_audit(content_id, boilerplate) VALUES (?, ?)")
        insertBands = try RawStatement(db, "INSERT INTO content_bands(content_id, keys) VALUES (?, ?)")
        deleteBands = try RawStatement(db, "DELETE FROM content_bands WHERE content_id = ?")
        selectBands = try RawStatement(db, "SELECT keys FROM content_bands WHERE content_id = ?")
        selectEdgesOf = try RawStatement(
            db,
            """
            SELECT b, strength FROM near_edges WHERE a = ?1
            UNION ALL SELECT a, strength FROM near_edges WHERE b = ?1
            """)
        deleteEdgesOf = try RawStatement(db, "DELETE FROM near_edges WHERE a = ?1 OR b = ?1")
        insertEdge = try RawStatement(
            db,
            "INSERT OR REPLACE INTO near_edges(a, b, jaccard, containment, strength) VALUES (?, ?, ?, ?, ?)")
        selectBody = try RawStatement(db, "SELECT body FROM search WHERE rowid = ?")
        selectSameNorm = try RawStatement(
            db,
            """
            SELECT other.id FROM contents self JOIN contents other ON other.norm_hash = self.norm_hash
            WHERE self.id = ?1 AND other.id <> ?1
            """)
        selectSha = try RawStatement(db, "SELECT sha256, cluster FROM contents WHERE id = ?")
        updateCluster = try RawStatement(db, "UPDATE contents SET cluster = ? WHERE id = ?")
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

    /// Stores the analysis of content `id` and queues it for candidates. `isNew`: the content
    /// row was inserted in this transaction with the analysis columns already (one write of
    /// the row and its indexes, not an insert and then an update of three indexed columns),
    /// and it has no bands, text or edges to replace.
    mutating func store(_ analysis: ContentAnalysis, for id: Int64, isNew: Bool) throws {
        if !isNew {
            try storeAnalysis.run(DuplicateIndex.analysisValues(analysis) + [.int(id)])
            // A re-analysed content starts over: its old bands, text and edges no longer hold.
            try removeBands(of: id)
            staleSearch.append(id)
            try seedNeighbours(of: id)
            try deleteEdgesOf.run([.int(id)])
        }
        try insertAudit.run([.int(id), .text(analysis.boilerplateJSON)])
        try evidence.store(analysis, for: id, isNew: isNew)
        pendingSearch.append((id, analysis.searchTitle, analysis.searchBody))
        // Content ids are rowids counted up from 1; one past 32 bits (four billion contents)
        // would not fit the band table's entries, so it is matched by its hashes only.
        if !analysis.bandKeys.isEmpty, id <= Int64(UInt32.max) {
            try DuplicateIndex.loadBands(db, into: bands)
            try insertBands.run([.int(id), .blob(BandTable.encode(analysis.bandKeys))])
            for key in analysis.bandKeys {
                addedBands.append(BandTable.entry(key: key, content: id))
            }
            fresh.append((id, analysis.searchBody, analysis.bandKeys))
        }
        if let stale = shingleCache.removeValue(forKey: id) { shingleCacheValues -= stale.capacity }
        seeds.insert(id)
    }

    /// Content `id` is about to be deleted: its band entries go and its neighbours' clusters
    /// must be recomputed.
    mutating func willRemove(_ id: Int64) throws {
        try removeBands(of: id)
        try evidence.willRemove(id)
        try seedNeighbours(of: id)
        seeds.remove(id)
        // Stored earlier in this transaction: its row must not reach the search index.
        pendingSearch.removeAll { $0.id == id }
    }

    private mutating func removeBands(of id: Int64) throws {
        var keys: [UInt32] = []
        try selectBands.query([.int(id)]) { keys = BandTable.decode($0.blob(0)) }
        try deleteBands.run([.int(id)])
        removedBands[UInt32(truncatingIfNeeded: id), default: []].append(contentsOf: keys)
        // Analysed earlier in this same transaction: its `fresh` item names the entries to drop.
        guard let index = fresh.firstIndex(where: { $0.id == id }) else { return }
        let freshKeys = Set(fresh.remove(at: index).bands)
        addedBands.removeAll { freshKeys.contains(UInt32($0 >> 32)) && Int64($0 & 0xFFFF_FFFF) == id }
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

    /// Entries a file build gathers per pass: 1 MiB. (2 MiB passes with the standard sort held
    /// about 4 MB each — the batch and the sort's scratch, by arithmetic; the heap sort and
    /// these passes hold 1.1 MB. Not measured on their own: together with two malloc arenas
    /// they took a 100,000-file cold start's peak from 58.1 to 54.7 MiB, the arenas alone 54.9.)
    static let bandFilePassEntries = 1 << 17

    /// Writes the candidate index file from `content_bands`, a range of home buckets per pass
    /// so a pass holds about `bandFilePassEntries` entries whatever the catalogue's size.
    private static func buildBandFile(_ db: Database, at path: String, entries: Int) throws
        -> sending BandFile
    {
        let bucketCount = BandFile.bucketCount(forEntries: entries)
        let passes = max(1, (entries + bandFilePassEntries - 1) / bandFilePassEntries)
        let rows = try RawStatement(db, allBands)
        return try BandFile.build(path: path, bucketCount: bucketCount, passes: passes) { homes in
            var batch: [UInt64] = []
            batch.reserveCapacity(bandFilePassEntries + bandFilePassEntries / 8)
            try forEachBandEntry(rows) { entry in
                let key = UInt32(truncatingIfNeeded: entry >> 32)
                if homes.contains(BandFile.home(ofKey: key, bucketCount: bucketCount)) { batch.append(entry) }
            }
            return batch
        }
    }

    private static let allBands = "SELECT content_id, keys FROM content_bands"

    /// Calls `body` with every band entry (`BandTable.entry`) of the rows `statement` selects
    /// (content id, keys).
    private static func forEachBandEntry(_ statement: RawStatement, _ body: (UInt64) -> Void) throws {
        try statement.query([]) { row in
            let content = row.int(0)
            for key in BandTable.decode(row.blob(1)) { body(BandTable.entry(key: key, content: content)) }
        }
    }

    /// Marks a file index clean for the catalogue as it is (`AppDatabase.saveCandidateIndex`).
    static func saveBands(_ db: Database, in bands: BandIndexCache) throws {
        let stamp = try bandStamp(db)
        try bands.index.withLock { index in
            if case .file(let file) = index { try file.markClean(stamp) }
        }
    }

    /// What the catalogue's band rows are, as a file index's header records them.
    private static func bandStamp(_ db: Database) throws -> BandFile.Stamp {
        var stamp = BandFile.Stamp(rows: 0, maxContent: 0, keys: 0)
        try RawStatement(
            db,
            "SELECT count(*), coalesce(max(content_id), 0), coalesce(sum(length(keys)), 0) / 4 FROM content_bands"
        ).query([]) { row in
            stamp = BandFile.Stamp(rows: row.int(0), maxContent: row.int(1), keys: row.int(2))
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

    private mutating func seedNeighbours(of id: Int64) throws {
        try selectEdgesOf.query([.int(id)]) { seeds.insert($0.int(0)) }
        try selectSameNorm.query([.int(id)]) { seeds.insert($0.int(0)) }
    }

    /// Finds and verifies the candidates of every fresh content, then recomputes the clusters
    /// around every seed. Runs once, at the end of the transaction.
    mutating func finish() throws {
        let sharing = contentsSharingAKey()
        let order = Dictionary(fresh.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: max)
        for (position, item) in fresh.enumerated() {
            let candidates = try self.candidates(of: item.id, keys: item.bands, sharing: sharing)
            guard !candidates.isEmpty else { continue }
            let mine = shingles(of: item.id, body: item.body)
            // A pair of this transaction's contents is verified once, by the later one.
            for other in candidates where (order[other] ?? -1) < position {
                guard let theirs = try shingles(of: other),
                    let similarity = NearDuplicate.verify(mine, theirs)
                else { continue }
                try insertEdge.run([
                    .int(min(item.id, other)), .int(max(item.id, other)), .real(similarity.jaccard),
                    .real(similarity.containment), .real(min(1, max(0, similarity.strength))),
                ])
                seeds.insert(other)
            }
        }
        fresh.removeAll()
        var done: Set<Int64> = []
        for seed in seeds.sorted() where !done.contains(seed) {
            done.formUnion(try recluster(around: seed))
        }
        seeds.removeAll()
        try evidence.finish(db)
        for id in staleSearch { try deleteText.run([.int(id)]) }
        staleSearch.removeAll()
        for row in pendingSearch {
            try insertText.run([.int(row.id), .text(row.title), .text(row.body)])
        }
        pendingSearch.removeAll()
        publishBandsOnCommit()
    }

    /// This transaction's contents that share a band key with another of them, with those
    /// others: the runs of equal keys in the sorted entries, found in one pass (a search of
    /// the entries for each key of each content cost more than the committed table's).
    private mutating func contentsSharingAKey() -> [Int64: Set<Int64>] {
        addedBands.sort()
        var sharing: [Int64: Set<Int64>] = [:]
        var start = 0
        while start < addedBands.count {
            let key = addedBands[start] >> 32
            var end = start + 1
            while end < addedBands.count, addedBands[end] >> 32 == key { end += 1 }
            if end - start > 1 {
                let contents = addedBands[start..<end].map { Int64($0 & 0xFFFF_FFFF) }
                for content in contents { sharing[content, default: []].formUnion(contents) }
            }
            start = end
        }
        return sharing
    }

    /// Contents sharing a band key with `id`: committed ones from the table, and this
    /// transaction's (`sharing`). (A committed entry of a content re-analysed in this
    /// transaction may still show up: verification against its current text settles it.)
    private func candidates(of id: Int64, keys: [UInt32], sharing: [Int64: Set<Int64>]) throws -> Set<Int64> {
        var result = sharing[id] ?? []
        try bands.index.withLock { index in
            guard let index else { return }
            for key in keys { try index.contents(withKey: key, into: &result) }
        }
        result.remove(id)
        return result
    }

    private mutating func shingles(of id: Int64, body: String) -> [UInt64] {
        if let cached = shingleCache[id] { return cached }
        let computed = Shingler.shingles(ofNormalized: body)
        // Bounded: a batch of republications can touch thousands of candidates, and keeping
        // every one's shingles to the end of the transaction once doubled the peak memory.
        // Counted by storage, not by count: what the cache holds is what it costs.
        let size = computed.capacity
        if shingleCacheValues + size > DuplicateIndex.shingleCacheBudget {
            shingleCache.removeAll(keepingCapacity: true)
            shingleCacheValues = 0
        }
        if size <= DuplicateIndex.shingleCacheBudget / 4 {
            shingleCache[id] = computed
            shingleCacheValues += size
        }
        return computed
    }

    private mutating func shingles(of id: Int64) throws -> [UInt64]? {
        if let cached = shingleCache[id] { return cached }
        // Analysed in this transaction: its text is not in the index yet.
        if let row = pendingSearch.last(where: { $0.id == id }) { return shingles(of: id, body: row.body) }
        var body: String?
        try selectBody.query([.int(id)]) { body = $0.text(0) }
        guard let body else { return nil }
        return shingles(of: id, body: body)
    }

    /// Recomputes the clusters of the connected component holding `seed`; returns its nodes.
    private mutating func recluster(around seed: Int64) throws -> Set<Int64> {
        var nodes: Set<Int64> = []
        var edges: [DuplicateEdge] = []
        var frontier = [seed]
        var exists = false
        try selectSha.query([.int(seed)]) { _ in exists = true }
        guard exists else { return [seed] }
        nodes.insert(seed)
        // The component over stored edges, bounded so one pathological hub cannot stall the
        // writer (its far side keeps its clusters until something near it changes).
        while let node = frontier.popLast(), nodes.count < 20_000 {
            var next: [Int64] = []
            try selectEdgesOf.query([.int(node)]) { row in
                let other = row.int(0)
                if node < other {
                    edges.append(DuplicateEdge(node, other, kind: .near, similarity: row.real(1)))
                }
                next.append(other)
            }
            try selectSameNorm.query([.int(node)]) { row in
                let other = row.int(0)
                if node < other { edges.append(DuplicateEdge(node, other, kind: .normalized)) }
                next.append(other)
            }
            for other in next where nodes.insert(other).inserted { frontier.append(other) }
        }
        for cluster in Clusterer.clusters(nodes: Array(nodes), edges: edges) {
            var members: [(id: Int64, sha: [UInt8], cluster: String?)] = []
            for id in cluster {
                try selectSha.query([.int(id)]) { members.append((id, $0.blob(0), $0.optionalText(1))) }
            }
            // A host-independent id: the smallest member hash, as 16 hex digits.
            guard let smallest = members.map(\.sha).min(by: { $0.lexicographicallyPrecedes($1) }) else {
                continue
            }
            let id = ClusterID.of(sha256: smallest)
            for member in members where member.cluster != id {
                try updateCluster.run([.text(id), .int(member.id)])
                try evidence.clusterChanged(member.id)
            }
        }
        return nodes
    }
}

/// Cluster ids: the first 8 bytes of a SHA-256 as 16 lowercase hex digits.
enum ClusterID {
    static func of(sha256: [UInt8]) -> String {
        // Written straight into the string's storage: one per content on the writer's path.
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 16) { out in
            digits.withUTF8Buffer { hex in
                for (index, byte) in sha256.prefix(8).enumerated() {
                    out[2 * index] = hex[Int(byte >> 4)]
                    out[2 * index + 1] = hex[Int(byte & 0x0F)]
                }
            }
            return 2 * min(8, sha256.count)
        }
    }
}
