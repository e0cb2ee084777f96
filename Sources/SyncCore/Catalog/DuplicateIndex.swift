import Foundation
import GRDB

/// Keeps the near-duplicate index and the clusters current inside one write transaction.
///
/// Every analysed content has LSH band keys; a content sharing a key with another is a
/// candidate, and every candidate pair is verified exactly (Jaccard and containment over the
/// shingles, recomputed from the stored fingerprint text) before an edge is stored. Clusters
/// are connected components over exact (same content row), normalised (same `norm_hash`) and
/// verified near edges, cut by `Clusterer`'s guard against chaining. After the transaction's
/// file operations, the components around every content that was added, re-analysed or
/// removed are recomputed, so the clusters are always what the current files say.
struct DuplicateIndex {
    let db: Database
    /// Contents whose component must be recomputed at the end of the transaction.
    private(set) var seeds: Set<Int64> = []
    /// Fingerprint shingles computed in this transaction, by content id.
    private var shingleCache: [Int64: [UInt64]] = [:]
    /// Newly analysed contents and their fingerprint text, waiting for candidate search.
    private var fresh: [(id: Int64, body: String, bands: [Int64])] = []
    /// Rows for the full-text index, written last in the transaction: FTS5 flushes its
    /// pending terms whenever a later statement opens a statement journal (an upsert, a
    /// RETURNING), so interleaving its inserts with the others wrote one tiny segment per
    /// document and made a cold ingest several times slower (measured: 11 s of 22).
    private var pendingSearch: [(id: Int64, title: String, body: String)] = []

    private let storeAnalysis: RawStatement
    private let insertText: RawStatement
    private let deleteText: RawStatement
    private let insertAudit: RawStatement
    private let deleteBands: RawStatement
    private let selectEdgesOf: RawStatement
    private let deleteEdgesOf: RawStatement
    private let insertEdge: RawStatement
    private let selectBody: RawStatement
    private let selectSameNorm: RawStatement
    private let selectSha: RawStatement
    private let updateCluster: RawStatement

    init(db: Database) throws {
        self.db = db
        storeAnalysis = try RawStatement(
            db,
            """
            UPDATE contents SET analysis_version = ?, norm_hash = ?, lang = ?, lang_confidence = ?, script = ?,
            title = ?, title_source = ?, published_ns = ? WHERE id = ?
            """)
        insertText = try RawStatement(db, "INSERT INTO search(rowid, title, body) VALUES (?, ?, ?)")
        deleteText = try RawStatement(db, "DELETE FROM search WHERE rowid = ?")
        insertAudit = try RawStatement(
            db, "INSERT OR REPLACE INTO content_audit(content_id, boilerplate) VALUES (?, ?)")
        deleteBands = try RawStatement(db, "DELETE FROM lsh_bands WHERE entry = ?")
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

    /// Stores the analysis of content `id` and queues it for candidates. `isNew`: the content
    /// row was inserted in this transaction, so it has no bands, text or edges to replace.
    mutating func store(_ analysis: ContentAnalysis, for id: Int64, isNew: Bool) throws {
        try storeAnalysis.run([
            .int(Int64(analysis.version)), .blob(analysis.normalizedHash), .text(analysis.language),
            .real(analysis.languageConfidence), .text(analysis.script),
            analysis.title.map { .text($0) } ?? .null,
            .text(analysis.titleSource.rawValue), analysis.publishedNanoseconds.map { .int($0) } ?? .null,
            .int(id),
        ])
        if !isNew {
            // A re-analysed content starts over: its old bands, text and edges no longer hold.
            try removeBands(of: id)
            try deleteText.run([.int(id)])
            try seedNeighbours(of: id)
            try deleteEdgesOf.run([.int(id)])
        }
        try insertAudit.run([.int(id), .text(analysis.boilerplateJSON)])
        pendingSearch.append((id, analysis.searchTitle, analysis.searchBody))
        if !analysis.bandKeys.isEmpty {
            // One statement for all of a content's bands: a cold ingest writes hundreds of
            // thousands of entries, and per-row statements cost more than the B-tree inserts.
            try RawStatement(db, LSHEntry.insertSQL(count: analysis.bandKeys.count))
                .run(analysis.bandKeys.map { .int(LSHEntry.entry(band: $0, content: id)) })
        }
        shingleCache[id] = nil
        fresh.append((id, analysis.searchBody, analysis.bandKeys))
        seeds.insert(id)
    }

    /// Content `id` is about to be deleted: its band entries go (they are keyed by band, so
    /// they are found again from its fingerprint text) and its neighbours' clusters must be
    /// recomputed.
    mutating func willRemove(_ id: Int64) throws {
        try removeBands(of: id)
        try seedNeighbours(of: id)
        seeds.remove(id)
    }

    private mutating func removeBands(of id: Int64) throws {
        guard let shingles = try shingles(of: id), shingles.count >= MinHasher.minimumShingles else { return }
        shingleCache[id] = nil
        for key in LSH.bandKeys(MinHasher.signature(of: shingles)).map(LSH.sqliteKey) {
            try deleteBands.run([.int(LSHEntry.entry(band: key, content: id))])
        }
    }

    private mutating func seedNeighbours(of id: Int64) throws {
        try selectEdgesOf.query([.int(id)]) { seeds.insert($0.int(0)) }
        try selectSameNorm.query([.int(id)]) { seeds.insert($0.int(0)) }
    }

    /// Finds and verifies the candidates of every fresh content, then recomputes the clusters
    /// around every seed. Runs once, at the end of the transaction.
    mutating func finish() throws {
        for item in fresh {
            guard !item.bands.isEmpty else { continue }
            let candidates = try self.candidates(of: item.id, bands: item.bands)
            guard !candidates.isEmpty else { continue }
            let mine = shingles(of: item.id, body: item.body)
            for other in candidates {
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
        for row in pendingSearch {
            try insertText.run([.int(row.id), .text(row.title), .text(row.body)])
        }
        pendingSearch.removeAll()
    }

    private func candidates(of id: Int64, bands: [Int64]) throws -> Set<Int64> {
        var result: Set<Int64> = []
        var values: [RawStatement.Value] = []
        values.reserveCapacity(bands.count * 2)
        for band in bands {
            let range = LSHEntry.range(band: band)
            values.append(.int(range.lowerBound))
            values.append(.int(range.upperBound))
        }
        try RawStatement(db, LSHEntry.candidatesSQL(count: bands.count)).query(values) {
            result.insert($0.int(0))
        }
        result.remove(id)
        return result
    }

    private mutating func shingles(of id: Int64, body: String) -> [UInt64] {
        if let cached = shingleCache[id] { return cached }
        let computed = Shingler.shingles(ofNormalized: body)
        shingleCache[id] = computed
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
    private func recluster(around seed: Int64) throws -> Set<Int64> {
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
            }
        }
        return nodes
    }
}

/// The `lsh_bands` encoding: 31 bits of band key above a 32-bit content id.
enum LSHEntry {
    static func entry(band: Int64, content: Int64) -> Int64 {
        (band & 0x7FFF_FFFF) << 32 | (content & 0xFFFF_FFFF)
    }

    static func range(band: Int64) -> ClosedRange<Int64> {
        let base = (band & 0x7FFF_FFFF) << 32
        return base...(base | 0xFFFF_FFFF)
    }

    /// Inserts `count` entries in one statement.
    static func insertSQL(count: Int) -> String {
        "INSERT OR IGNORE INTO lsh_bands(entry) VALUES "
            + Array(repeating: "(?)", count: count).joined(separator: ",")
    }

    /// The contents in any of `count` bands (each a pair of range bounds), in one statement.
    static func candidatesSQL(count: Int) -> String {
        Array(repeating: "SELECT entry & 4294967295 FROM lsh_bands WHERE entry BETWEEN ? AND ?", count: count)
            .joined(separator: " UNION ALL ")
    }
}

/// Cluster ids: the first 8 bytes of a SHA-256 as 16 lowercase hex digits.
enum ClusterID {
    static func of(sha256: [UInt8]) -> String {
        sha256.prefix(8).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
