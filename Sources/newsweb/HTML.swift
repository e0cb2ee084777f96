/// A piece of markup this program wrote. Values interpolated into it are escaped by
/// `HTML.escape` unless they are themselves `HTML`: every value from the catalogue (titles,
/// bodies, paths, reasons, messages) reaches a page only through that one function.
struct HTML: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    private(set) var markup: String

    init(stringLiteral value: String) { markup = value }

    init(stringInterpolation: Interpolation) { markup = stringInterpolation.markup }

    /// Markup written by this program (never a value from outside).
    init(trusted markup: String) { self.markup = markup }

    static let empty = HTML(trusted: "")

    var description: String { markup }

    /// Joins fragments.
    static func join(_ parts: some Sequence<HTML>, separator: HTML = .empty) -> HTML {
        HTML(trusted: parts.map(\.markup).joined(separator: separator.markup))
    }

    static func + (lhs: HTML, rhs: HTML) -> HTML { HTML(trusted: lhs.markup + rhs.markup) }

    static func += (lhs: inout HTML, rhs: HTML) { lhs.markup += rhs.markup }

    struct Interpolation: StringInterpolationProtocol {
        var markup = ""

        init(literalCapacity: Int, interpolationCount: Int) { markup.reserveCapacity(literalCapacity * 2) }

        mutating func appendLiteral(_ literal: String) { markup += literal }

        /// A value: escaped.
        mutating func appendInterpolation(_ value: String) { markup += HTML.escape(value) }

        /// An optional value: escaped, nothing when absent.
        mutating func appendInterpolation(_ value: String?) { markup += HTML.escape(value ?? "") }

        /// A number.
        mutating func appendInterpolation<N: BinaryInteger>(_ value: N) { markup += String(value) }

        /// Markup: as is.
        mutating func appendInterpolation(_ html: HTML) { markup += html.markup }

        /// Markup fragments, one after the other.
        mutating func appendInterpolation(_ parts: [HTML]) { for part in parts { markup += part.markup } }
    }

    /// The one escaping function: `&`, `<`, `>`, `"` and `'` become character references, so a
    /// value is inert in text and in quoted attributes; C0 and C1 control characters other than
    /// tab and line feed are dropped; the bidirectional embedding, override and isolate controls
    /// (U+202A-U+202E, U+2066-U+2069) are shown as their code points, so that a name cannot
    /// reorder the text around it (every value also sits in an element with `dir="auto"`, which
    /// isolates it).
    static func escape(_ value: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(value.unicodeScalars.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case "\u{00}"..."\u{1F}", "\u{7F}"..."\u{9F}": continue
            case "\u{202A}"..."\u{202E}", "\u{2066}"..."\u{2069}":
                out += "[U+" + String(scalar.value, radix: 16, uppercase: true) + "]"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
