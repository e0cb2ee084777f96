import ArgumentParser
import ControlWire
import Foundation

/// `newsctl search QUERY`: full-text search in every script.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the articles' text, best matches first.",
        discussion: """
            The query is normalised like the articles: Arabic and Persian letter forms, digits of any \
            script, harakat and ZWNJ do not matter (searching ي finds ی, 2024 finds ۲۰۲۴). Every word \
            must match; `word*` matches a prefix. Snippets are the best-matching line as written. With \
            --json, one object: tokens, hits (path, title, lang, rank, copies, snippet).
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "At most this many hits.")
    var limit: Int = 20

    @Argument(parsing: .remaining, help: "The words to look for.")
    var query: [String]

    func validate() throws {
        guard !query.isEmpty else { throw ValidationError("give the words to search for") }
        guard limit >= 1, limit <= 200 else { throw ValidationError("--limit must be between 1 and 200") }
    }

    func run() throws {
        let out = Output.standard
        try withDaemon(global) { client in
            let params = SearchParams(query: query.joined(separator: " "), limit: limit)
            let line = try client.callRaw(ControlMethod.search.rawValue, params)
            if global.json {
                out.write(bytes: try rawResultLine(line))
                return
            }
            let result = try ControlCoding.decode(ControlResultEnvelope<SearchResult>.self, from: line).result
            if result.hits.isEmpty {
                out.line("no matches for \(result.tokens.joined(separator: " "))")
                return
            }
            for hit in result.hits {
                let copies = hit.copies > 0 ? Terminal.paint(" (+\(hit.copies) copies)", .dim) : ""
                out.line(
                    Terminal.paint(DisplayWidth.isolated(DisplayWidth.printable(hit.path.display)), .bold)
                        + "  " + (hit.lang ?? "-") + copies)
                if let title = hit.title {
                    out.line("  " + DisplayWidth.isolated(truncated(title, width: 100)))
                }
                if let snippet = hit.snippet {
                    out.line(
                        "  " + Terminal.paint(DisplayWidth.isolated(truncated(snippet, width: 160)), .dim))
                }
            }
        }
    }
}
