import Crypto
import Foundation

/// The SHA-256 of `bytes`, in lowercase hex.
public func sha256Hex(_ bytes: some DataProtocol) -> String {
    SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
}

/// The SHA-256 of `text`'s UTF-8 bytes, in lowercase hex.
public func sha256Hex(_ text: String) -> String {
    sha256Hex(Array(text.utf8))
}
