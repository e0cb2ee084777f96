/// Splits a `list` reply line into the raw JSON of each file record, without decoding them.
///
/// `ls --json` prints each record as the daemon encoded it (compact, keys sorted), so newsctl
/// need not decode and re-encode 15,000 objects: it finds the `"files":[` array, cuts it at
/// the top-level commas (tracking strings and escapes), and reads the `next` token. Any
/// surprise returns `nil` and the caller decodes the line normally.
enum RawListReply {
    static func split(_ line: [UInt8]) -> (records: [ArraySlice<UInt8>], next: String?)? {
        let key = Array(#""files":["#.utf8)
        guard let start = find(key, in: line, from: 0) else { return nil }
        var records: [ArraySlice<UInt8>] = []
        var index = start + key.count
        var depth = 0
        var inString = false
        var escaped = false
        var recordStart = index
        while index < line.count {
            let byte = line[index]
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else {
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    if depth == 0 { recordStart = index }
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if depth == 0 {
                        // The end of the files array.
                        guard let next = nextToken(line, from: index + 1) else { return nil }
                        return (records, next)
                    }
                    depth -= 1
                    if depth == 0 { records.append(line[recordStart...index]) }
                default: break
                }
            }
            index += 1
        }
        return nil
    }

    /// The `next` token after the array: a string, or `nil` for `null` (or when absent).
    private static func nextToken(_ line: [UInt8], from: Int) -> String?? {
        let key = Array(#""next":"#.utf8)
        guard let found = find(key, in: line, from: from) else { return .some(nil) }
        let value = found + key.count
        guard value < line.count else { return nil }
        if line[value] == UInt8(ascii: "n") { return .some(nil) }
        guard line[value] == UInt8(ascii: "\""),
            let end = line[(value + 1)...].firstIndex(of: UInt8(ascii: "\""))
        else { return nil }
        return .some(String(decoding: line[(value + 1)..<end], as: UTF8.self))
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var index = from
        while index + needle.count <= haystack.count {
            if haystack[index] == needle[0], haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }
}
