import Foundation

/// How paths (which are bytes) travel in JSON: as a string when they are valid UTF-8; otherwise
/// as a lossy string (invalid bytes become U+FFFD) next to `<key>_b64`, the base64 of the exact
/// bytes. A client that needs the exact bytes uses `_b64` when present.
public struct WirePath: Hashable, Sendable {
    /// The exact bytes.
    public var bytes: [UInt8]

    /// Wraps path bytes.
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// Wraps a UTF-8 string.
    public init(_ string: String) { self.bytes = Array(string.utf8) }

    /// The path as text: exact for UTF-8, lossy otherwise.
    public var display: String { String(decoding: bytes, as: UTF8.self) }

    /// Whether the bytes are valid UTF-8 (then `display` is exact and no `_b64` is sent).
    public var isUTF8: Bool { String(validating: bytes, as: UTF8.self) != nil }

    /// The base64 of the bytes when they are not valid UTF-8.
    public var base64: String? { isUTF8 ? nil : Data(bytes).base64EncodedString() }

    /// Encodes `key` (and `key_b64` when needed) into `container`.
    func encode<Key: CodingKey>(into container: inout KeyedEncodingContainer<Key>, key: Key, b64Key: Key)
        throws
    {
        try container.encode(display, forKey: key)
        try container.encodeIfPresent(base64, forKey: b64Key)
    }

    /// Decodes `key`, preferring the exact bytes of `key_b64`.
    static func decode<Key: CodingKey>(from container: KeyedDecodingContainer<Key>, key: Key, b64Key: Key)
        throws
        -> WirePath
    {
        if let b64 = try container.decodeIfPresent(String.self, forKey: b64Key) {
            guard let data = Data(base64Encoded: b64) else {
                throw DecodingError.dataCorruptedError(
                    forKey: b64Key, in: container, debugDescription: "not valid base64")
            }
            return WirePath(bytes: Array(data))
        }
        return WirePath(try container.decode(String.self, forKey: key))
    }

    static func decodeIfPresent<Key: CodingKey>(
        from container: KeyedDecodingContainer<Key>, key: Key, b64Key: Key
    ) throws -> WirePath? {
        guard container.contains(key) || container.contains(b64Key) else { return nil }
        if try container.decodeNil(forKey: key) { return nil }
        return try decode(from: container, key: key, b64Key: b64Key)
    }
}

/// Lower-case hexadecimal, for hashes.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `bytes` as lower-case hex.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses lower- or upper-case hex; `nil` when malformed.
    public static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = value(utf8[index]), let low = value(utf8[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }
}
