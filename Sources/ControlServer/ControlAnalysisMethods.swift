import Catalogue
import ControlWire
import Foundation
import NewsCore
import SyncCore
import TextAnalysis

/// The methods over the text analysis: `clusters`, `search`, and what `show` adds.
extension ControlHandler {
    func clusters(_ params: ClustersParams) async throws -> ClustersResult {
        let limit = try Self.pageSize(params.limit)
        let offset = max(0, params.offset ?? 0)
        if let members = params.members, members < 0 {
            throw ControlError(.badParams, "members must be 0 or more (got \(members))")
        }
        // At rest, the page comes from the cached order (one grouping of every file per
        // committed change, 20 ms at 24,000 files); while files are being ingested, from the
        // catalogue as it is, with a total up to one second old.
        let lastSeq = try await context.database.readSummary().summary.lastSeq
        let order = await clusterOrder(lastSeq: lastSeq, busy: context.hub.status.queue > 0)
        if let order, order.seq == lastSeq {
            let page = try await context.database.clusterSummaries(
                order.page(offset: offset, limit: limit), members: params.members)
            return Self.clustersResult(page, total: order.count)
        }
        if let order {
            return Self.clustersResult(
                try await context.database.clusterPageOnly(
                    limit: limit, offset: offset, members: params.members),
                total: order.count)
        }
        let page = try await context.database.clusterPage(
            limit: limit, offset: offset, members: params.members)
        return Self.clustersResult(page.clusters, total: page.total)
    }

    static func clustersResult(_ clusters: [ClusterSummary], total: Int) -> ClustersResult {
        ClustersResult(
            clusters: clusters.map { cluster in
                ClusterRecord(
                    cluster: cluster.id, size: cluster.size, languages: cluster.languages,
                    links: Dictionary(
                        uniqueKeysWithValues: cluster.links.map { ($0.key.rawValue, $0.value) }),
                    files: cluster.members.map { member in
                        ClusterMemberRecord(
                            path: WirePath(bytes: member.path.bytes), title: member.title,
                            lang: member.language,
                            link: member.link.rawValue, jaccard: member.jaccard)
                    })
            },
            total: total)
    }

    func search(_ params: SearchParams) async throws -> SearchResult {
        let tokens = SearchQuery.tokens(params.query)
        guard !tokens.isEmpty else {
            throw ControlError(
                .badParams, "the query has no words to search for (punctuation and symbols are ignored)")
        }
        let limit = min(try Self.pageSize(params.limit), 200)
        let hits = try await context.database.searchHits(
            params.query, limit: limit, offset: max(0, params.offset ?? 0))
        let reader = FileReader(sizeLimit: 4 << 20)
        let tree = context.tree
        return SearchResult(
            tokens: tokens.map { $0.token + ($0.prefix ? "*" : "") },
            hits: hits.map { hit in
                // The snippet comes from the file as it is now, in its own script.
                var snippet: String?
                if case .read(_, let content) = reader.read(tree.cPath(hit.path)), let text = content.text {
                    snippet = Snippet.make(
                        text: TextDecoder.clean(text), query: params.query)
                }
                return SearchHitRecord(
                    path: WirePath(bytes: hit.path.bytes), title: hit.title, lang: hit.language,
                    rank: hit.rank,
                    copies: hit.copies, snippet: snippet)
            })
    }

    /// Adds the analysis facts and the exact, normalised and near duplicates to `show`.
    func withAnalysis(_ detail: FileDetail, path: RelativePath) async throws -> FileDetail {
        var detail = detail
        let (facts, related) = try await context.database.analysisDetail(of: path)
        if let facts {
            detail.languageConfidence = facts.languageConfidence
            detail.script = facts.script
            detail.titleSource = facts.titleSource
        }
        detail.related = related.map { related in
            RelatedRecord(
                path: WirePath(bytes: related.path.bytes), link: related.link.rawValue,
                jaccard: related.jaccard,
                containment: related.containment)
        }
        return detail
    }

    /// The number of clusters for `status`: exact whenever the catalogue is at rest.
    func clusterCount(lastSeq: Int64, busy: Bool) async -> Int? {
        await clusterOrder(lastSeq: lastSeq, busy: busy)?.count
    }

    /// The clusters of two or more files in `clusters`' order, read at most once per committed
    /// change: reading them groups every file (35 ms at 26,000 files), and `status` must stay
    /// cheap, so while files are being ingested an order up to one second old is served
    /// instead (`status` p99 under a 2,000 files/s ingest was 38 ms when every new sequence
    /// number recounted).
    func clusterOrder(lastSeq: Int64, busy: Bool) async -> ClusterOrder? {
        let now = monotonicNanoseconds()
        if let cached = context.clusterOrderCache.withLock({ $0 }),
            cached.seq == lastSeq || (busy && now - cached.at < 1_000_000_000)
        {
            return cached
        }
        guard let ids = try? await context.database.clusterOrder(),
            let order = ClusterOrder(seq: lastSeq, at: now, ids: ids)
        else { return nil }
        context.clusterOrderCache.withLock { $0 = order }
        return order
    }
}
