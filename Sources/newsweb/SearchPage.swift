import ControlWire
import Foundation
import Hummingbird

/// `/search?q=…&lang=…&page=…`: full-text search in any script; each hit's title and best
/// line with the matched words marked; a language filter.
enum SearchPage {
    static let pageSize = 20
    /// With a language filter, the hits filtered are the best this many (the daemon ranks,
    /// the page filters).
    static let filteredWindow = 200

    static func respond(_ backend: any CatalogueBackend, query: String, language: String?, page: Int)
        async throws(BackendError) -> Response
    {
        let trimmed = query.trimmingCharacters(in: .whitespacesAndNewlines)
        let language = language.flatMap { Format.languageNames[$0] != nil ? $0 : nil }
        guard !trimmed.isEmpty else {
            return Page.response(
                .ok,
                Page.document(
                    title: "Search", body: render(query: "", language: language, result: nil, page: 0)))
        }
        let result: SearchResult
        if let language {
            var all = try await backend.search(SearchParams(query: trimmed, limit: filteredWindow, offset: 0))
            all.hits = Array(
                all.hits.filter { $0.lang == language }.dropFirst(page * pageSize).prefix(pageSize + 1))
            result = all
        } else {
            result = try await backend.search(
                SearchParams(query: trimmed, limit: pageSize + 1, offset: page * pageSize))
        }
        return Page.response(
            .ok,
            Page.document(
                title: "Search: \(trimmed)",
                body: render(query: trimmed, language: language, result: result, page: page),
                query: trimmed))
    }

    static func render(query: String, language: String?, result: SearchResult?, page: Int) -> HTML {
        let options =
            [("", "all languages")] + ["ar", "fa", "sw", "en", "und"].map { ($0, Format.language($0)) }
        let select = options.map { code, name -> HTML in
            "<option value=\"\(code)\"\(code == (language ?? "") ? " selected" : "")>\(name)</option>"
        }
        let form: HTML = """
            <form class="search" action="/search" method="get">
            <input type="search" name="q" value="\(query)" dir="auto" aria-label="Words">
            <select name="lang" aria-label="Language">\(select)</select><button type="submit">Search</button></form>
            """
        guard let result else {
            return """
                <main><h1>Search</h1>\(form)
                <p class="muted">Words in any script; every word must match, <code>word*</code> matches a prefix. \
                Arabic and Persian letter variants, harakat, ZWNJ and digit scripts are folded.</p></main>
                """
        }
        let hasNext = result.hits.count > pageSize
        let hits = result.hits.prefix(pageSize).map { hit -> HTML in
            let lang = Format.langAttribute(hit.lang)
            let copies: HTML = hit.copies > 0 ? " · \(Format.number(hit.copies)) other copies" : .empty
            return """
                <div class="hit"><h2 dir="auto"\(lang)><a href="\(Links.article(hit.path))">\(Highlight.mark(hit.title ?? hit.path.display, tokens: result.tokens))</a></h2>\
                <p dir="auto"\(lang)>\(Highlight.mark(hit.snippet ?? "", tokens: result.tokens))</p>\
                <p class="muted"><span class="path" dir="auto">\(hit.path.display)</span> · \(Format.language(hit.lang))\(copies)</p></div>
                """
        }
        let href: (Int) -> String = { page in
            var query = "/search?q=" + Self.percentEncode(query)
            if let language { query += "&lang=" + language }
            return query + (page > 0 ? "&page=\(page)" : "")
        }
        let first = page * pageSize
        let summary =
            hits.isEmpty
            ? "no hits"
            : "hits \(Format.number(first + 1))–\(Format.number(first + hits.count))"
                + (language != nil ? " among the best \(filteredWindow)" : "")
        return """
            <main><h1>Search</h1>\(form)
            <p class="muted">Read as: \(result.tokens.map { "<span class=\"token\" dir=\"auto\">\($0)</span>" as HTML })</p>
            \(Pager.links(page: page, hasNext: hasNext, summary: summary, href: href))
            \(hits)
            \(hits.isEmpty ? "<p>Nothing matches every word.</p>" as HTML : .empty)
            </main>
            """
    }

    static func percentEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
