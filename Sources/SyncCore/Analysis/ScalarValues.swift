/// Iteration over the Unicode scalar values of a string for the language detector's
/// counters, which read each scalar once and keep nothing.
enum ScalarValues {
    /// Calls `body` with each scalar value of `text`, in order, until it returns false.
    ///
    /// Decodes the UTF-8 bytes directly when the string keeps them contiguous (every native
    /// `String` and its `Substring`s): `unicodeScalars`' iterator costs about twice as much
    /// per scalar, and the detector's three passes were a quarter of the analysis's time.
    /// A Swift string's UTF-8 is always valid, so the decoder need not check it.
    @inline(__always)
    static func forEach<S: StringProtocol>(_ text: S, _ body: (UInt32) -> Bool) {
        let decoded: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            var index = 0
            let count = bytes.count
            while index < count {
                let lead = UInt32(bytes[index])
                let value: UInt32
                if lead < 0x80 {
                    value = lead
                    index += 1
                } else if lead < 0xE0 {
                    value = (lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)
                    index += 2
                } else if lead < 0xF0 {
                    value =
                        (lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6
                        | UInt32(bytes[index + 2] & 0x3F)
                    index += 3
                } else {
                    value =
                        (lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12
                        | UInt32(bytes[index + 2] & 0x3F) << 6 | UInt32(bytes[index + 3] & 0x3F)
                    index += 4
                }
                if !body(value) { return }
            }
        }
        guard decoded == nil else { return }
        for scalar in text.unicodeScalars where !body(scalar.value) { return }
    }
}
