/// What a user typed into a search, as normalised tokens.
public enum SearchQuery {
    /// The normalised tokens of `query`, each with whether it is a prefix (`word*`).
    public static func tokens(_ query: String) -> [(token: String, prefix: Bool)] {
        query.split(whereSeparator: { $0.isWhitespace }).flatMap { word -> [(String, Bool)] in
            let prefix = word.hasSuffix("*")
            let parts = Normalizer.normalize(String(prefix ? word.dropLast() : word[...])).split(
                separator: " ")
            return parts.enumerated().map { (String($0.element), prefix && $0.offset == parts.count - 1) }
        }
    }
}
