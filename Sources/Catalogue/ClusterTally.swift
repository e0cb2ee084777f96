import GRDB

/// What a cluster's members are, counted without reading them out: how many files, their
/// languages and how many have each link. The same counts `ClusterSummary.init(id:members:)`
/// makes from a cluster read whole, for a listing that shows only a cluster's first members.
/// One pass over the cluster's contents (not its files, nor their paths): 8,001 rows for a
/// story republished 8,000 times.
struct ClusterTally {
    var size = 0
    var languages: [String] = []
    var links: [RelatedFile.Link: Int] = [:]

    init(_ db: Database, cluster: String) throws {
        var contents: [(files: Int, norm: [UInt8]?)] = []
        var languages: Set<String> = []
        try RawStatement(
            db,
            """
            SELECT (SELECT COUNT(*) FROM files f WHERE f.content_id = c.id), c.norm_hash, c.lang
            FROM contents c WHERE c.cluster = ?1
            """
        ).query([.text(cluster)]) { row in
            let files = Int(row.int(0))
            guard files > 0 else { return }
            contents.append((files, row.optionalBlob(1)))
            if let language = row.optionalText(2) { languages.insert(language) }
        }
        self.languages = languages.sorted()
        var contentsPerNorm: [[UInt8]: Int] = [:]
        for content in contents { if let norm = content.norm { contentsPerNorm[norm, default: 0] += 1 } }
        for content in contents {
            size += content.files
            let link = RelatedFile.Link(
                sameBytes: content.files > 1,
                sameNormalisedText: content.norm.map { contentsPerNorm[$0, default: 0] > 1 } ?? false)
            links[link, default: 0] += content.files
        }
    }
}
