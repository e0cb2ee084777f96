import Dedup
import GRDB

/// The catalogue's side of cluster maintenance (`ClusterGraph`) for one write transaction:
/// `contents.cluster` and `norm_hash`, `near_edges`, `cluster_groups`, the search table's
/// bodies and the committed candidate index.
struct CatalogClusterGraph: ClusterGraph {
    let db: Database
    let bands: BandIndexCache
    private let selectNode: RawStatement
    private let selectSketch: RawStatement
    private let selectHolder: RawStatement
    private let selectGroup: RawStatement
    private let selectMembers: RawStatement
    private let selectNeighbours: RawStatement
    private let selectLinks: RawStatement
    private let deleteLinksA: RawStatement
    private let deleteLinksB: RawStatement
    private let insertLink: RawStatement
    private let updateLabel: RawStatement
    private let selectLabelled: RawStatement
    private let updateLabels: RawStatement
    private let selectGroups: RawStatement
    private let upsertGroups: RawStatement
    private let deleteGroups: RawStatement
    private let selectBody: RawStatement

    init(db: Database, bands: BandIndexCache) throws {
        self.db = db
        self.bands = bands
        selectNode = try RawStatement(db, "SELECT cluster, norm_hash, sha256 FROM contents WHERE id = ?")
        selectSketch = try RawStatement(db, "SELECT sketch, shingles FROM content_bands WHERE content_id = ?")
        selectHolder = try RawStatement(db, "SELECT min(id) FROM contents WHERE norm_hash = ?1 AND id <> ?2")
        selectGroup = try RawStatement(db, "SELECT id, sha256 FROM contents WHERE norm_hash = ?")
        selectMembers = try RawStatement(db, "SELECT id, sha256 FROM contents WHERE cluster = ?")
        selectNeighbours = try RawStatement(
            db, "SELECT b FROM near_edges WHERE a = ?1 UNION ALL SELECT a FROM near_edges WHERE b = ?1")
        selectLinks = try RawStatement(
            db,
            """
            SELECT a, b, jaccard, containment, strength FROM near_edges WHERE a = ?1
            UNION ALL SELECT a, b, jaccard, containment, strength FROM near_edges WHERE b = ?1
            """)
        // Two statements, each on its own index (an OR would need SQLite to combine them).
        deleteLinksA = try RawStatement(db, "DELETE FROM near_edges WHERE a = ?")
        deleteLinksB = try RawStatement(db, "DELETE FROM near_edges WHERE b = ?")
        insertLink = try RawStatement(
            db,
            "INSERT OR REPLACE INTO near_edges(a, b, jaccard, containment, strength) VALUES (?, ?, ?, ?, ?)")
        updateLabel = try RawStatement(db, "UPDATE contents SET cluster = ? WHERE id = ?")
        selectLabelled = try RawStatement(db, "SELECT id FROM contents WHERE cluster = ?")
        updateLabels = try RawStatement(db, "UPDATE contents SET cluster = ?2 WHERE cluster = ?1")
        selectGroups = try RawStatement(db, "SELECT group_count FROM cluster_groups WHERE cluster = ?")
        upsertGroups = try RawStatement(
            db, "INSERT OR REPLACE INTO cluster_groups(cluster, group_count) VALUES (?, ?)")
        deleteGroups = try RawStatement(db, "DELETE FROM cluster_groups WHERE cluster = ?")
        selectBody = try RawStatement(db, "SELECT body FROM search WHERE rowid = ?")
    }

    func node(_ id: Int64) throws -> ClusterNode? {
        var node: ClusterNode?
        try selectNode.query([.int(id)]) {
            node = ClusterNode(label: $0.optionalText(0), norm: $0.optionalBlob(1), sha: $0.blob(2))
        }
        return node
    }

    func sketch(of id: Int64) throws -> MinHashSketch? {
        var sketch: MinHashSketch?
        try selectSketch.query([.int(id)]) { row in
            sketch = row.optionalBlob(0).map {
                MinHashSketch(bytes: $0, shingles: row.optionalInt(1).map(Int.init))
            }
        }
        return sketch
    }

    func holder(norm: [UInt8], excluding: Int64?) throws -> Int64? {
        var holder: Int64?
        try selectHolder.query([.blob(norm), .int(excluding ?? -1)]) { holder = $0.optionalInt(0) }
        return holder
    }

    func group(norm: [UInt8]) throws -> [(id: Int64, sha: [UInt8])] {
        var result: [(id: Int64, sha: [UInt8])] = []
        try selectGroup.query([.blob(norm)]) { result.append(($0.int(0), $0.blob(1))) }
        return result
    }

    func members(of label: String) throws -> [(id: Int64, sha: [UInt8])] {
        var result: [(id: Int64, sha: [UInt8])] = []
        try selectMembers.query([.text(label)]) { result.append(($0.int(0), $0.blob(1))) }
        return result
    }

    func neighbours(of id: Int64) throws -> [Int64] {
        var result: [Int64] = []
        try selectNeighbours.query([.int(id)]) { result.append($0.int(0)) }
        return result
    }

    func degree(of id: Int64) throws -> Int { try neighbours(of: id).count }

    func removeLinks(of id: Int64) throws -> [NearLink] {
        var links: [NearLink] = []
        try selectLinks.query([.int(id)]) {
            links.append(
                NearLink(
                    $0.int(0), $0.int(1), jaccard: $0.real(2), containment: $0.real(3), strength: $0.real(4)))
        }
        guard !links.isEmpty else { return [] }
        try deleteLinksA.run([.int(id)])
        try deleteLinksB.run([.int(id)])
        return links
    }

    func addLink(_ link: NearLink) throws {
        try insertLink.run([
            .int(link.a), .int(link.b), .real(link.jaccard), .real(link.containment), .real(link.strength),
        ])
    }

    func setLabel(_ label: String?, of id: Int64) throws {
        try updateLabel.run([label.map { .text($0) } ?? .null, .int(id)])
    }

    func relabel(_ from: String, to: String) throws -> [Int64] {
        var ids: [Int64] = []
        try selectLabelled.query([.text(from)]) { ids.append($0.int(0)) }
        if !ids.isEmpty { try updateLabels.run([.text(from), .text(to)]) }
        return ids
    }

    func groups(of label: String) throws -> Int {
        var groups = 1
        try selectGroups.query([.text(label)]) { groups = Int($0.int(0)) }
        return groups
    }

    func setGroups(_ groups: Int, of label: String) throws {
        if groups > 1 {
            try upsertGroups.run([.text(label), .int(Int64(groups))])
        } else {
            try deleteGroups.run([.text(label)])
        }
    }

    func fingerprintText(of id: Int64) throws -> String? {
        var body: String?
        try selectBody.query([.int(id)]) { body = $0.text(0) }
        return body
    }

    func committedCandidates(keys: [UInt32], perKey: Int, into result: inout [UInt32]) throws {
        try bands.index.withLock { index in
            guard let index else { return }
            for key in keys { try index.contents(withKey: key, newest: perKey, into: &result) }
        }
    }
}
