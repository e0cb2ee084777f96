/// This transaction's contents by LSH band key: where a content added in a transaction finds
/// the candidates added before it in the same transaction.
///
/// One sorted array of band entries (`BandTable.entry`, 8 bytes each) for the whole
/// transaction; a content takes, under each of its keys, the `NearLinkPolicy
/// .transactionCandidatesPerKey` entries just before its own (the newest contents before it).
/// A ring of ids per key held 3-4 MB for a transaction of 1,024 articles (43,000 keys, nearly
/// all holding one content); listing every sharer of a key would cost a transaction of a
/// thousand copies of one story a million pairs.
struct CandidateWindows {
    private let entries: [UInt64]

    /// The windows over `contents` and their keys.
    init(_ contents: [(id: Int64, keys: [UInt32])]) {
        var entries: [UInt64] = []
        entries.reserveCapacity(contents.reduce(0) { $0 + $1.keys.count })
        for content in contents {
            for key in content.keys { entries.append(BandTable.entry(key: key, content: content.id)) }
        }
        entries.sort()
        self.entries = entries
    }

    /// Appends, under each of `keys`, the contents filed just before `content` to `result`.
    func contents(withKeys keys: [UInt32], before content: Int64, into result: inout [UInt32]) {
        for key in keys {
            let start = BandTable.firstIndex(in: entries, notBelow: UInt64(key) << 32)
            let end = BandTable.firstIndex(in: entries, notBelow: BandTable.entry(key: key, content: content))
            for index in max(start, end - NearLinkPolicy.transactionCandidatesPerKey)..<end {
                result.append(UInt32(truncatingIfNeeded: entries[index]))
            }
        }
    }
}
