import Foundation

/// Marks the words of a text that match the search's tokens. The tokens come normalised from
/// the daemon; each word of the text is folded the same way in outline (lower case, no
/// combining marks, tatweel or ZWNJ, Arabic-script letter variants and digits folded) and
/// compared; a token ending in `*` matches a prefix. Everything passes through `HTML.escape`.
enum Highlight {
    static func mark(_ text: String, tokens: [String]) -> HTML {
        let exact = Set(tokens.filter { !$0.hasSuffix("*") })
        let prefixes = tokens.filter { $0.hasSuffix("*") }.map { String($0.dropLast()) }
        var out = HTML.empty
        var word = ""
        func flush() {
            guard !word.isEmpty else { return }
            let folded = fold(word)
            if exact.contains(folded) || prefixes.contains(where: { !$0.isEmpty && folded.hasPrefix($0) }) {
                out += "<mark>\(word)</mark>"
            } else {
                out += "\(word)"
            }
            word = ""
        }
        for character in text {
            if isWordCharacter(character) {
                word.append(character)
            } else {
                flush()
                out += "\(String(character))"
            }
        }
        flush()
        return out
    }

    static func isWordCharacter(_ character: Character) -> Bool {
        character.unicodeScalars.contains {
            $0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "\u{200C}"
                || $0.properties.generalCategory == .nonspacingMark
        }
    }

    private static let letters: [UInt32: UInt32] = [
        0x0649: 0x064A, 0x06CC: 0x064A, 0x06D2: 0x064A, 0x06CD: 0x064A, 0x06D0: 0x064A, 0x06A9: 0x0643,
        0x06AA: 0x0643, 0x0671: 0x0627, 0x0672: 0x0627, 0x0673: 0x0627, 0x0629: 0x0647, 0x06C3: 0x0647,
        0x06D5: 0x0647, 0x06BE: 0x0647, 0x06C1: 0x0647,
    ]

    static func fold(_ word: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in word.lowercased().decomposedStringWithCompatibilityMapping.unicodeScalars {
            let value = scalar.value
            if scalar.properties.generalCategory == .nonspacingMark || value == 0x0640 || value == 0x200C
                || value == 0x0674
            {
                continue
            }
            if (0x0660...0x0669).contains(value) || (0x06F0...0x06F9).contains(value) {
                out.append(Unicode.Scalar(UInt8(0x30 + value % 16)))
                continue
            }
            if let folded = letters[value], let replacement = Unicode.Scalar(folded) {
                out.append(replacement)
                continue
            }
            out.append(scalar)
        }
        return String(out)
    }
}
