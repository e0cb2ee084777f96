/// The secret every request must carry: 32 random bytes in hex, made at start and printed
/// once as part of the URL. The page keeps it in a cookie.
struct AccessToken: Sendable, Equatable {
    let value: String

    /// The cookie that carries it.
    static let cookieName = "newsweb_token"

    /// A fresh token from the system's random source (getrandom).
    static func random() -> AccessToken {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef")
        var text = ""
        for _ in 0..<32 {
            let byte = UInt8.random(in: 0...255, using: &generator)
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return AccessToken(value: text)
    }

    /// Whether `candidate` is the token, in time that does not depend on where they differ.
    func matches(_ candidate: String) -> Bool {
        let a = Array(value.utf8)
        let b = Array(candidate.utf8)
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0..<a.count { difference |= a[index] ^ (index < b.count ? b[index] : 0) }
        return difference == 0 && a.count == b.count
    }
}
