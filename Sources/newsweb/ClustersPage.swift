import ControlWire
import Hummingbird

/// `/clusters`: clusters of two or more files, largest first, a page at a time; each row
/// names the cluster by its first member's title and links to the cluster's page.
enum ClustersPage {
    static let pageSize = 25

    static func respond(_ backend: any CatalogueBackend, page: Int) async throws(BackendError) -> Response {
        let result = try await backend.clusters(offset: page * pageSize, limit: pageSize)
        return Page.response(.ok, Page.document(title: "Clusters", body: render(result, page: page)))
    }

    static func render(_ result: ClustersResult, page: Int) -> HTML {
        let first = page * pageSize
        let summary =
            result.clusters.isEmpty
            ? "no clusters on this page"
            : "\(Format.number(first + 1))–\(Format.number(first + result.clusters.count)) of \(Format.number(result.total))"
        let pager = Pager.links(
            page: page, hasNext: first + result.clusters.count < result.total, summary: summary
        ) { "/clusters" + ($0 > 0 ? "?page=\($0)" : "") }
        let rows = result.clusters.map { cluster -> HTML in
            let lead = cluster.files.first
            let title = lead?.title ?? lead?.path.display ?? cluster.cluster
            let languages = cluster.languages.map(Format.language).joined(separator: ", ")
            let links = cluster.links.map { "\($0.value) \($0.key)" }.sorted().joined(separator: ", ")
            return """
                <tr><td class="num">\(Format.number(cluster.size))</td>\
                <td><a href="\(Links.cluster(cluster.cluster))" dir="auto"\(Format.langAttribute(lead?.lang))>\(title)</a>\
                <div class="muted path" dir="auto">\(lead?.path.display)</div></td>\
                <td>\(languages)</td><td class="optional muted">\(links)</td></tr>
                """
        }
        return """
            <main><h1>Clusters</h1>
            <p class="muted">Files that are the same article: exact copies, the same text after normalisation, or near \
            duplicates. Largest first.</p>
            \(pager)
            <div class="scroll"><table><thead><tr><th class="num">Files</th><th>Article</th><th>Languages</th>\
            <th class="optional">Links</th></tr></thead><tbody>\(rows)</tbody></table></div>
            \(pager)</main>
            """
    }
}
