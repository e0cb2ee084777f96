import Foundation

/// A search snippet in the original script: the line of the article that best matches the
/// query, cut to a window around the first match.
///
/// The full-text index holds normalised text (folded letters, no marks, ASCII digits), so its
/// own snippets would show `يك` where the article says `یک`. Instead each original line is
/// normalised the same way and scored by the query tokens it contains; the best line is shown
/// as written.
public enum Snippet {
    /// The snippet for `query` in `text`, at most about `width` characters, or nil.
    public static func make(text: String, query: String, width: Int = 160) -> String? {
        let tokens = SearchQuery.tokens(query)
        guard !tokens.isEmpty else { return nil }
        var best: (score: Int, line: Substring, firstMatch: Int, tokenCount: Int)?
        for line in text.split(whereSeparator: \.isNewline) where !line.allSatisfy(\.isWhitespace) {
            let words = Normalizer.normalize(String(line)).split(separator: " ")
            var score = 0
            var first = Int.max
            for term in tokens {
                if let index = words.firstIndex(where: {
                    term.prefix ? $0.hasPrefix(term.token) : $0 == term.token
                }) {
                    score += 1
                    first = min(first, index)
                }
            }
            if score > 0, score > (best?.score ?? 0) {
                best = (score, line, first, words.count)
                // No later line can do better than one holding every word: normalising the
                // rest would be most of a search's time for a page of common-word hits.
                if score == tokens.count { break }
            }
        }
        guard let best else { return nil }
        let characters = Array(best.line.trimmingCharacters(in: .whitespaces))
        if characters.count <= width { return String(characters) }
        // Centre the window on where the first match falls, in proportion.
        let centre = best.tokenCount > 0 ? characters.count * best.firstMatch / best.tokenCount : 0
        let start = max(0, min(characters.count - width, centre - width / 3))
        let end = min(characters.count, start + width)
        return (start > 0 ? "…" : "") + String(characters[start..<end]) + (end < characters.count ? "…" : "")
    }
}
