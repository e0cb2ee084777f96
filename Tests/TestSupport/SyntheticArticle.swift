/// Generated articles for tests that need many unrelated texts.
public enum SyntheticArticle {
    /// A distinct English-like article: sentences of stopwords around random words, so no two
    /// articles share shingles, with `extra` as a line of its own in the middle of the body
    /// (a short line between good ones is body, so search finds it until it is chrome).
    public static func make(_ seed: UInt64, extra: String) -> String {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        func word() -> String {
            let letters = Array("abdefgiklmnoprstuvz")
            return String(
                (0..<7).map { _ in
                    state ^= state << 13
                    state ^= state >> 7
                    state ^= state << 17
                    return letters[Int(state % UInt64(letters.count))]
                })
        }
        var lines = ["The \(word()) of \(word()) and the \(word()) report"]
        for _ in 0..<8 {
            lines.append(
                "The \(word()) of the \(word()) said that the \(word()) and the \(word()) will \(word()) "
                    + "the \(word()) in \(word()) before the \(word()) of \(word()) is \(word()) by the \(word())."
            )
        }
        lines.insert(extra, at: 5)
        return lines.joined(separator: "\n") + "\n"
    }
}
