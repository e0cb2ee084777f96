/// Cluster ids: the first 8 bytes of a SHA-256 as 16 lowercase hex digits.
public enum ClusterID {
    public static func of(sha256: [UInt8]) -> String {
        // Written straight into the string's storage: one per content on the writer's path.
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 16) { out in
            digits.withUTF8Buffer { hex in
                for (index, byte) in sha256.prefix(8).enumerated() {
                    out[2 * index] = hex[Int(byte >> 4)]
                    out[2 * index + 1] = hex[Int(byte & 0x0F)]
                }
            }
            return 2 * min(8, sha256.count)
        }
    }
}
