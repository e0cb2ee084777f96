import Foundation

/// JSON encoding and decoding of protocol lines, shared by the server and the client.
public enum ControlCoding {
    /// An encoder for protocol lines: compact, keys sorted (stable output), `/` unescaped.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// `value` as one JSON line, newline included. Encoding the protocol's own types cannot
    /// fail; should it, the line is an `internal` error reply instead.
    public static func line(_ value: some Encodable) -> [UInt8] {
        var bytes: [UInt8]
        do {
            bytes = Array(try makeEncoder().encode(value))
        } catch {
            bytes = Array(
                #"{"id":null,"error":{"code":"internal","message":"cannot encode the reply"}}"#.utf8)
        }
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    /// Decodes `type` from one line's bytes.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws -> T {
        try JSONDecoder().decode(type, from: Data(bytes))
    }
}
