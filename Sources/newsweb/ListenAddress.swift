import Glibc

/// A `host:port` to listen on (`[::1]:port` for IPv6), and whether it is loopback.
struct ListenAddress: Equatable, Sendable {
    var host: String
    var port: Int

    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    init(parsing text: String) throws(Invalid) {
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[close...].hasPrefix("]:") else {
                throw Invalid(description: "\(text) is not [ipv6]:port")
            }
            hostPart = text[text.index(after: text.startIndex)..<close]
            portPart = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw Invalid(description: "\(text) is not host:port")
            }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
        }
        guard let port = Int(portPart), (0...65_535).contains(port), !hostPart.isEmpty else {
            throw Invalid(description: "\(text) is not host:port (a port from 0 to 65535)")
        }
        host = String(hostPart)
        self.port = port
    }

    /// Loopback: `localhost`, 127.0.0.0/8 or ::1.
    var isLoopback: Bool {
        if host == "localhost" || host == "::1" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 { return UInt32(bigEndian: v4.s_addr) >> 24 == 127 }
        return false
    }

    /// The page's base address for `port` (the real one when 0 was asked for).
    func url(port: Int) -> String {
        host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
    }
}
