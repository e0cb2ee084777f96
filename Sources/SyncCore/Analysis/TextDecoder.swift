/// Step 1 of TEXT.md: bytes to text.
public enum TextDecoder {
    /// Decodes UTF-8 `bytes`, strips a leading BOM and turns CRLF and lone CR into LF.
    /// Returns nil for invalid UTF-8 (the caller records the error and still hashes the bytes).
    public static func decode(_ bytes: [UInt8]) -> String? {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            start = 3
        }
        let body = bytes[start...]
        guard body.contains(0x0D) else {
            return String(validating: body, as: UTF8.self)
        }
        // CR is ASCII and never part of a multi-byte sequence, so a byte-level pass is safe.
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var index = body.startIndex
        while index < body.endIndex {
            let byte = body[index]
            if byte == 0x0D {
                out.append(0x0A)
                let next = body.index(after: index)
                if next < body.endIndex, body[next] == 0x0A {
                    index = next
                }
            } else {
                out.append(byte)
            }
            index = body.index(after: index)
        }
        return String(validating: out, as: UTF8.self)
    }
}
