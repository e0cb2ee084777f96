import Crypto

/// The normalised key (`TextAnalyzer.hashNormalized`) of a text fed in pieces: the key of a
/// file too long to hold in memory, computed while it streams past.
///
/// The normaliser maps one scalar at a time, and an ASCII space or line break is a separator
/// wherever it stands. A text cut just before such a byte therefore normalises to its pieces'
/// normalised forms joined by single spaces, empty pieces left out: exactly what the key
/// hashes. `feed` cuts there and keeps the rest for the next call, so the key does not depend
/// on how the bytes arrived.
public struct NormalizedKeyStream {
    private var hasher = SHA256()
    private var emittedAny = false
    /// Bytes after the last separator seen: the start of a token that may go on.
    private var rest: [UInt8] = []
    private var scratch: [UInt8] = []

    /// A stream that has been fed nothing yet.
    public init() {}

    /// A run this long without a space or line break (no article has one) is cut at a scalar
    /// boundary instead: its key may then differ from the whole text's, but it is still a
    /// function of the bytes alone, and memory stays bounded.
    static let longestRun = 1 << 20

    /// Feeds the next bytes of the text (valid UTF-8 as a whole; a piece may end inside a scalar).
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        rest.append(contentsOf: bytes)
        var cut = rest.count
        while cut > 0, rest[cut - 1] != 0x20, rest[cut - 1] != 0x0A { cut -= 1 }
        if cut > 0 {
            normalizePiece(rest[..<cut])
            rest.removeSubrange(..<cut)
        }
        while rest.count > Self.longestRun {
            cut = Self.longestRun
            while cut > 0, UTF8.isContinuation(rest[cut]) { cut -= 1 }
            normalizePiece(rest[..<cut])
            rest.removeSubrange(..<cut)
        }
    }

    /// Bytes held for the next piece (at most `longestRun`).
    var heldBytes: Int { rest.count }

    /// The key of everything fed, as lowercase hex.
    public mutating func finish() -> String {
        normalizePiece(rest[...])
        rest = []
        return TextAnalyzer.hex(hasher.finalize())
    }

    private mutating func normalizePiece(_ piece: ArraySlice<UInt8>) {
        scratch.removeAll(keepingCapacity: true)
        piece.withUnsafeBufferPointer { Normalizer.append(utf8: $0, to: &scratch) }
        guard !scratch.isEmpty else { return }
        if emittedAny { hasher.update(data: [UInt8(0x20)]) }
        hasher.update(data: scratch)
        emittedAny = true
    }
}
