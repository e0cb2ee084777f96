import NewsCore

/// One file of a cluster as the cluster reads select it (`select`, then a `WHERE` on
/// `c.cluster`), before its link to the rest of the cluster is known.
struct ClusterMemberRow {
    static let select = """
        SELECT f.path, c.id, c.norm_hash, c.title, c.lang, c.published_ns
        FROM files f JOIN contents c ON c.id = f.content_id
        """

    var path: [UInt8]
    var content: Int64
    var norm: [UInt8]?
    var title: String?
    var language: String?
    var published: Int64?

    init(_ row: RawRow) {
        path = row.blob(0)
        content = row.int(1)
        norm = row.optionalBlob(2)
        title = row.optionalText(3)
        language = row.optionalText(4)
        published = row.optionalInt(5)
    }

    /// The member, linked as found: the same bytes as another file of the cluster, else the
    /// same normalised text as another of its contents, else near (with the strongest verified
    /// similarity to another member, `jaccard`).
    func member(sameBytes: Bool, sameNormalisedText: Bool, jaccard: () throws -> Double?) rethrows
        -> ClusterMember
    {
        let link = RelatedFile.Link(sameBytes: sameBytes, sameNormalisedText: sameNormalisedText)
        return ClusterMember(
            path: RelativePath(bytes: path), title: title, language: language, link: link,
            jaccard: link == .near ? try jaccard() : nil)
    }
}
