/// Corpus evidence for boilerplate: a short normalised line that recurs across many
/// *clusters* is site chrome ("انتهى", "Unaweza pia kusoma", a newsletter's SMS number).
///
/// Counted per cluster, not per file, so that twenty republications of one article do not
/// turn its own lines into chrome. The catalogue stores every analysed text's candidate
/// lines (`line_evidence`) and keeps the verdicts (`chrome_lines`) current in the writer;
/// texts analysed under a verdict that has since changed are analysed again.
public enum ChromeEvidence {
    /// Only lines of at most this many tokens are candidates: chrome is short, and a long
    /// sentence that recurs is quoted news, not chrome. (In the corpus: 1.2 such lines per
    /// article.)
    public static let maximumTokens = 12
    /// A line is chrome once it occurs in this many distinct clusters. In the corpus, 59
    /// short lines reach 5 files; with 8 only the bylines and SMS lines of two sites are left.
    public static let minimumClusters = 5

    /// The candidate lines of `lines`, one per key, sorted by key. `used`: indices of the
    /// lines the analysis fingerprinted, searched or took as the title; `knownChrome`: the
    /// verdicts it was given.
    static func lines(_ lines: [TextLine], used: Set<Int>, knownChrome: Set<UInt64>) -> [EvidenceLine] {
        var keys: Set<UInt64> = []
        // A key on several lines counts as used when any of them was.
        var usedKeys: Set<UInt64> = []
        for line in lines where !line.normalized.isEmpty && line.tokenCount <= maximumTokens {
            keys.insert(line.key)
            if used.contains(line.index) { usedKeys.insert(line.key) }
        }
        return keys.sorted().map { key in
            EvidenceLine(
                key: key,
                treatedAsChrome: knownChrome.contains(key) ? true : usedKeys.contains(key) ? false : nil)
        }
    }
}

/// One short line of a text, as the catalogue counts it for corpus chrome.
public struct EvidenceLine: Sendable, Equatable, Codable {
    /// `Normalizer.lineKey` of the normalised line.
    public var key: UInt64
    /// `true`: the analysis left it out as corpus chrome; `false`: the analysis used it (body,
    /// search or title), so a chrome verdict would change the analysis; `nil`: the analysis
    /// left it out for another reason (a pattern, the classifier, outside the body), so no
    /// verdict changes anything and the text is never analysed again for it.
    public var treatedAsChrome: Bool?
}
