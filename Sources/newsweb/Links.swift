import ControlWire
import Foundation

/// Addresses of pages, and reading them back. A path travels as base64url of its exact bytes,
/// so names that are not UTF-8 reach the right file.
enum Links {
    static func article(_ path: WirePath) -> String {
        "/article?p=" + base64URL(path.bytes)
    }

    static func cluster(_ id: String, page: Int = 0) -> String {
        "/clusters/" + id + (page > 0 ? "?page=\(page)" : "")
    }

    /// The path named by an article address's `p`, or nil when it is not base64url.
    static func path(fromParameter text: String) -> WirePath? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64) else { return nil }
        return WirePath(bytes: Array(data))
    }

    /// A cluster id: 16 hex digits.
    static func isClusterID(_ text: String) -> Bool {
        text.utf8.count == 16
            && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// A query parameter as a page number (0 when absent or nonsense).
    static func page(_ text: String?) -> Int {
        guard let text, let value = Int(text), value >= 0, value < 1_000_000 else { return 0 }
        return value
    }
}

/// How values are written on the pages.
enum Format {
    /// An integer with thousands separated by commas (8,000).
    static func number(_ value: Int) -> String {
        let digits = Array(String(value.magnitude))
        var out = value < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }

    static func similarity(_ value: Double?) -> String {
        guard let value else { return "" }
        return String(format: "%.2f", value)
    }

    static func time(nanoseconds: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(nanoseconds) / 1e9)
        return date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false))
    }

    static let languageNames = [
        "ar": "Arabic", "fa": "Persian", "sw": "Swahili", "en": "English", "und": "undetermined",
    ]

    static func language(_ code: String?) -> String {
        guard let code else { return "" }
        return languageNames[code] ?? code
    }

    /// The `lang` attribute for text in a language the catalogue recognised.
    static func langAttribute(_ code: String?) -> HTML {
        guard let code, ["ar", "fa", "sw", "en"].contains(code) else { return .empty }
        return " lang=\"\(code)\""
    }
}

/// Previous and next links for a paged list.
enum Pager {
    static func links(page: Int, hasNext: Bool, summary: String, href: (Int) -> String) -> HTML {
        let previous: HTML = page > 0 ? "<a rel=\"prev\" href=\"\(href(page - 1))\">← Previous</a>" : .empty
        let next: HTML = hasNext ? "<a rel=\"next\" href=\"\(href(page + 1))\">Next →</a>" : .empty
        return "<nav class=\"pager\">\(previous)<span class=\"muted\">\(summary)</span>\(next)</nav>"
    }
}
