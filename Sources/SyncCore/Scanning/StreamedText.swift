import Crypto
import NewsCore
import TextAnalysis

/// A text file longer than the analysed prefix, read in chunks: its hash, its checks and its
/// normalised key come from one pass, and only its first `TextAnalyzer.analysedPrefixBytes`
/// are kept (all the analysis reads of it).
///
/// Held whole, a 32 MiB text cost about four copies of itself at once (the bytes, the
/// validated `String`, the decoder's array and its output); a 2.2 MB file in the corpus was
/// 6-7 MiB of the daemon's peak. The outcome is the same as `FileReader`'s whole-file path
/// would give: the same problem with the same offset, the same key, and (for a text without
/// carriage returns, which the decoder drops before the prefix is cut there) the same prefix.
struct StreamedText {
    private var hasher = SHA256()
    private var size: Int64 = 0
    private var firstNUL: Int64?
    private var firstInvalidUTF8: Int64?
    /// The file's first bytes, up to one past the prefix limit (to know where a line ends).
    private var head: [UInt8] = []
    /// Bytes read but not yet validated: the end of a chunk may cut a scalar.
    private var unchecked: [UInt8] = []
    private var uncheckedOffset: Int64 = 0
    private var key = NormalizedKeyStream()

    /// Reads `fd` to its end; `sizeLimit` as in `FileReader`.
    static func read(_ fd: Int32, sizeLimit: Int64) -> Result<FileContent, SystemError> {
        var text = StreamedText()
        let outcome = FileReader.forEachChunk(fd, size: 1 << 18) { text.consume($0) }
        if case .failure(let error) = outcome { return .failure(error) }
        text.checkUnchecked(atEnd: true)
        return .success(text.content(sizeLimit: sizeLimit))
    }

    private mutating func consume(_ bytes: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: bytes)
        if firstNUL == nil, let offset = TextValidation.firstNUL(in: bytes) {
            firstNUL = size + Int64(offset)
        }
        let wanted = TextAnalyzer.analysedPrefixBytes + 1 - head.count
        if wanted > 0 { head.append(contentsOf: bytes.prefix(wanted)) }
        size += Int64(bytes.count)
        guard firstNUL == nil, firstInvalidUTF8 == nil else { return }
        unchecked.append(contentsOf: bytes)
        checkUnchecked(atEnd: false)
    }

    /// Validates the unchecked bytes up to the last scalar boundary (all of them at the end)
    /// and feeds them to the key.
    private mutating func checkUnchecked(atEnd: Bool) {
        guard firstNUL == nil, firstInvalidUTF8 == nil, !unchecked.isEmpty else { return }
        var end = unchecked.count
        if !atEnd {
            // Back over at most three continuation bytes to the lead byte of the last scalar.
            var lead = end - 1
            while lead > 0, end - lead < 4, UTF8.isContinuation(unchecked[lead]) { lead -= 1 }
            end = lead
        }
        let valid = unchecked.withUnsafeBufferPointer { all in
            String(validating: UnsafeBufferPointer(rebasing: all[..<end]), as: UTF8.self) != nil
        }
        guard valid else {
            let offset = TextValidation.firstInvalidUTF8Offset(in: Array(unchecked[..<end])) ?? 0
            firstInvalidUTF8 = uncheckedOffset + Int64(offset)
            unchecked = []
            return
        }
        unchecked.withUnsafeBytes { key.feed(UnsafeRawBufferPointer(rebasing: $0[..<end])) }
        unchecked.removeSubrange(..<end)
        uncheckedOffset += Int64(end)
    }

    /// What was read, as `FileReader` reports it.
    private mutating func content(sizeLimit: Int64) -> FileContent {
        var content = FileContent(sha256: Array(hasher.finalize()), size: size, text: nil, problem: nil)
        if size > sizeLimit {
            content.problem = .tooLarge(size: size, limit: sizeLimit)
        } else if let firstNUL {
            content.problem = .binary(offset: Int(firstNUL))
        } else if let firstInvalidUTF8 {
            content.problem = .notUTF8(offset: Int(firstInvalidUTF8))
        } else {
            // The head runs one byte past the limit, so the prefix the analysis would cut from
            // the whole text is the one it cuts from the head. (A scalar the head's end splits
            // decodes as U+FFFD past the limit, where the cut never reaches.)
            content.text = TextAnalyzer.analysedPrefix(of: String(decoding: head, as: UTF8.self))
            content.wholeTextKey = key.finish()
        }
        return content
    }
}
