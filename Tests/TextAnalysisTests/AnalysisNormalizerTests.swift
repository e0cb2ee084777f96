import Foundation
import TestSupport
import Testing

@testable import TextAnalysis

/// The normalisation's steps (docs/TEXT-ANALYSIS.md, "Normalisation"), one fold per row.
struct AnalysisNormalizerTests {
    /// (what the row checks, input, expected normalised output)
    static let folds: [(String, String, String)] = [
        ("ASCII case and punctuation", "Hello, World!", "hello world"),
        ("NFC accent", "caf\u{E9}", "cafe"),
        ("NFD accent", "cafe\u{301}", "cafe"),
        ("NFKC ligature", "\u{FB01}nance", "finance"),
        ("NFKC fullwidth letters", "\u{FF21}\u{FF42}\u{FF43}", "abc"),
        ("NFKC circled digit", "\u{2460}", "1"),
        ("NFKC superscript", "x\u{B2}", "x2"),
        ("Arabic yeh", "\u{639}\u{644}\u{64A}", "\u{639}\u{644}\u{64A}"),
        ("Persian yeh", "\u{639}\u{644}\u{6CC}", "\u{639}\u{644}\u{64A}"),
        ("alef maksura", "\u{639}\u{644}\u{649}", "\u{639}\u{644}\u{64A}"),
        ("Arabic kaf", "\u{643}\u{62A}\u{627}\u{628}", "\u{643}\u{62A}\u{627}\u{628}"),
        ("Persian kaf", "\u{6A9}\u{62A}\u{627}\u{628}", "\u{643}\u{62A}\u{627}\u{628}"),
        ("with ZWNJ", "\u{645}\u{6CC}\u{200C}\u{634}\u{648}\u{62F}", "\u{645}\u{64A}\u{634}\u{648}\u{62F}"),
        ("without ZWNJ", "\u{645}\u{6CC}\u{634}\u{648}\u{62F}", "\u{645}\u{64A}\u{634}\u{648}\u{62F}"),
        (
            "tatweel trap: دمـــى is دمي", "\u{62F}\u{645}\u{640}\u{640}\u{640}\u{649}",
            "\u{62F}\u{645}\u{64A}"
        ),
        (
            "harakat", "\u{645}\u{64F}\u{62D}\u{64E}\u{645}\u{651}\u{64E}\u{62F}",
            "\u{645}\u{62D}\u{645}\u{62F}"
        ),
        ("superscript alef", "\u{647}\u{670}\u{630}\u{627}", "\u{647}\u{630}\u{627}"),
        ("hamza above alef", "\u{623}\u{62D}\u{645}\u{62F}", "\u{627}\u{62D}\u{645}\u{62F}"),
        ("hamza below alef", "\u{625}\u{633}\u{644}\u{627}\u{645}", "\u{627}\u{633}\u{644}\u{627}\u{645}"),
        ("madda", "\u{622}\u{645}\u{646}", "\u{627}\u{645}\u{646}"),
        ("waw hamza", "\u{645}\u{624}\u{645}\u{646}", "\u{645}\u{648}\u{645}\u{646}"),
        ("yeh hamza", "\u{631}\u{626}\u{64A}\u{633}", "\u{631}\u{64A}\u{64A}\u{633}"),
        ("alef wasla", "\u{671}\u{644}\u{644}\u{647}", "\u{627}\u{644}\u{644}\u{647}"),
        ("teh marbuta", "\u{645}\u{62F}\u{631}\u{633}\u{629}", "\u{645}\u{62F}\u{631}\u{633}\u{647}"),
        ("heh doachashmee", "\u{6BE}", "\u{647}"),
        ("heh with yeh above", "\u{6C0}", "\u{647}"),
        ("high hamza deleted", "\u{627}\u{674}", "\u{627}"),
        (
            "Persian letters kept", "\u{67E}\u{686}\u{698}\u{6AF}\u{621}",
            "\u{67E}\u{686}\u{698}\u{6AF}\u{621}"
        ),
        ("Persian digits", "\u{6F1}\u{6F4}\u{6F0}\u{6F3}", "1403"),
        ("Arabic-Indic digits", "\u{662}\u{660}\u{662}\u{664}", "2024"),
        ("fullwidth digits", "\u{FF12}\u{FF10}\u{FF12}\u{FF14}", "2024"),
        ("Devanagari digits", "\u{967}\u{969}", "13"),
        (
            "Arabic comma, semicolon, question mark, guillemets",
            "\u{633}\u{644}\u{627}\u{645}\u{60C} \u{62F}\u{646}\u{6CC}\u{627}\u{61B} \u{62E}\u{648}\u{628}\u{61F} \u{AB}\u{628}\u{644}\u{647}\u{BB}",
            "\u{633}\u{644}\u{627}\u{645} \u{62F}\u{646}\u{64A}\u{627} \u{62E}\u{648}\u{628} \u{628}\u{644}\u{647}"
        ),
        ("Urdu full stop", "\u{627}\u{6D4}\u{628}", "\u{627} \u{628}"),
        ("emoji", "hi \u{1F600} there", "hi there"),
        ("emoji with variation selector", "\u{2764}\u{FE0F}", ""),
        ("dash", "a\u{2014}b", "a b"),
        ("NBSP, thin space, ideographic space, tab", "a\u{A0}b\u{2009}c\u{3000}d\t e", "a b c d e"),
        ("soft hyphen", "co\u{AD}operate", "cooperate"),
        ("bidi controls and ALM", "\u{200F}abc\u{202B}\u{61C}d", "abcd"),
        ("zero-width space and joiner", "a\u{200B}b\u{200D}c", "abc"),
        ("presentation form lam-alef", "\u{FEFB}", "\u{644}\u{627}"),
        ("dotted capital I", "\u{130}stanbul", "istanbul"),
        ("Greek", "\u{386}\u{398}\u{397}\u{39D}\u{391}", "\u{3B1}\u{3B8}\u{3B7}\u{3BD}\u{3B1}"),
        ("math letters outside the BMP", "\u{1D400}\u{1D401}", "ab"),
        ("collapse and trim", "  a   b  \n c ", "a b c"),
        ("empty", "", ""),
    ]

    @Test("the shipped table is Foundation's normalisation, scalar for scalar")
    func shippedTableMatchesFoundation() {
        let measured = NormalizationTable.measure()
        let shipped = NormalizationTable.shared
        var differing: [String] = []
        for code in 0..<0x10000 where shipped.mapped(code) != measured.mapped(code) {
            differing.append(String(code, radix: 16))
        }
        #expect(
            differing.isEmpty, "regenerate with `analysis-probe normalization-table`: \(differing.prefix(10))"
        )
        // The Hangul syllables come from arithmetic, not from the data: spot-check it.
        #expect(NormalizationTable.hangulJamo(0xAC00) == [0x1100, 0x1161])
        #expect(NormalizationTable.hangulJamo(0xD7A3) == [0x1112, 0x1175, 0x11C2])
    }

    @Test("one fold per row", arguments: folds)
    func fold(_ row: (String, String, String)) {
        #expect(Normalizer.normalize(row.1) == row.2, "\(row.0)")
    }

    /// What `normalize` gives under each `Normalizer.version`: the digest of its outputs
    /// (`outputDigest`). A row is never edited: outputs that change get a new normaliser
    /// version, a new content version (`ContentAnalysisVersionTests`, beside
    /// `ContentAnalysis`) and a new row in each.
    static let versions: [Int: UInt64] = [
        1: 0x3E42_B326_46C7_FF4C
    ]

    /// FNV-1a over `normalize` of every scalar up to U+2FFFF and of the variation selectors and
    /// tags in plane 14, one at a time, then of each fold row's input: what a change of the
    /// table, of the folds or of the spacing rules shows up in.
    static func outputDigest() -> UInt64 {
        var bytes: [UInt8] = []
        let planes: [ClosedRange<UInt32>] = [0...0x2_FFFF, 0xE_0000...0xE_01EF]
        for scalar in planes.joined().compactMap(Unicode.Scalar.init) {
            bytes += Array(Normalizer.normalize(String(scalar)).utf8)
            bytes.append(0)
        }
        for row in folds {
            bytes += Array(Normalizer.normalize(row.1).utf8)
            bytes.append(0)
        }
        return StableHash.fnv1a64(bytes)
    }

    @Test func theVersionNamesTheOutputs() throws {
        let digest = Self.outputDigest()
        let expected = try #require(
            Self.versions[Normalizer.version], "no row for Normalizer.version \(Normalizer.version)")
        #expect(
            expected == digest,
            """
            normalize's outputs changed (digest 0x\(String(digest, radix: 16))): bump Normalizer.version \
            and ContentAnalysis.currentVersion, and add a row for them here and in \
            ContentAnalysisVersionTests
            """)
        // Each normaliser version has outputs of its own.
        #expect(Set(Self.versions.values).count == Self.versions.count)
        #expect(Self.versions.keys.max() == Normalizer.version)
    }

    @Test func lineKeyIsFNV1aOfTheBytes() {
        #expect(Normalizer.lineKey("") == 0xCBF2_9CE4_8422_2325)
        #expect(Normalizer.lineKey("a") == 0xAF63_DC4C_8601_EC8C)
        #expect(Normalizer.lineKey("search") == Normalizer.lineKey(Normalizer.normalize("Search")))
    }

    /// The table-driven normaliser must agree with the literal pipeline of steps run
    /// through Foundation on whole strings.
    @Test func matchesTheLiteralPipeline() throws {
        var samples = Self.folds.map(\.1)
        samples.append(
            "\u{627}\u{644}\u{633}\u{651}\u{64E}\u{644}\u{627}\u{645}\u{64F} \u{639}\u{64E}\u{644}\u{64E}\u{64A}\u{652}\u{643}\u{64F}\u{645}\u{652} \u{FDF2} \u{FDFA}"
        )
        samples.append("\u{1100}\u{1161}\u{11A8} \u{AC01} \u{304C} \u{30AC} \u{FF76}\u{FF9E}")
        samples.append("\u{212B}ngstr\u{F6}m \u{2126} \u{1E9E} stra\u{DF}e")
        for name in Seeds.names { samples.append(try Seeds.text(name)) }
        for sample in samples {
            #expect(Normalizer.normalize(sample) == Self.reference(sample), "\(sample.prefix(40))")
        }
    }

    /// The steps after decoding, literally, with Foundation's normalisation forms on the whole string.
    static func reference(_ input: String) -> String {
        let nfkc = input.precomposedStringWithCompatibilityMapping
        var kept = String.UnicodeScalarView()
        for scalar in nfkc.unicodeScalars
        where scalar.value != 0x640 && !scalar.properties.isDefaultIgnorableCodePoint {
            kept.append(scalar)
        }
        let lowered = String(kept).lowercased()
        var out = ""
        for scalar in lowered.decomposedStringWithCanonicalMapping.unicodeScalars {
            let p = scalar.properties
            switch p.generalCategory {
            case .nonspacingMark, .enclosingMark, .format:
                continue
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                .initialPunctuation, .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol,
                .modifierSymbol, .otherSymbol, .spaceSeparator, .lineSeparator, .paragraphSeparator, .control:
                out.unicodeScalars.append(" ")
                continue
            default:
                break
            }
            if scalar.value == 0x640 || p.isDefaultIgnorableCodePoint { continue }
            switch scalar.value {
            case 0x649, 0x6CC, 0x6D2, 0x6CD, 0x6D0: out.unicodeScalars.append("\u{64A}")
            case 0x6A9, 0x6AA: out.unicodeScalars.append("\u{643}")
            case 0x671, 0x672, 0x673: out.unicodeScalars.append("\u{627}")
            case 0x629, 0x6C3, 0x6D5, 0x6BE, 0x6C1: out.unicodeScalars.append("\u{647}")
            case 0x674: continue
            default:
                if p.numericType == .decimal, let value = p.numericValue {
                    out += String(Int(value))
                } else if p.isWhitespace {
                    out.unicodeScalars.append(" ")
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out.split(separator: " ").joined(separator: " ")
    }
}

/// Requirement 2: copies that differ only in what normalisation removes share the key.
struct AnalysisNormalizedKeyTests {
    static let persian = """
        همکاری‌های نظامی ایران و تاجیکستان

        وزیر دفاع گفت: کشورهای منطقه ۱۴۰۲ سال همکاری کرده‌اند و این روند ادامه می‌یابد.

        آشتیانی افزود که همکاری‌ها در ۳ بخش انجام می‌شود.
        """
    static let english = """
        Café owners' résumé

        The naïve coöperation of 2024 continues, said the café's owner.
        """

    static func key(_ text: String) -> String {
        TextAnalyzer.analyze(text).normalizedHash
    }

    static func decodedKey(_ bytes: [UInt8]) -> String? {
        TextDecoder.decode(bytes).map(key)
    }

    @Test func crlfCopy() {
        let crlf = Self.persian.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(Self.decodedKey(Array(crlf.utf8)) == Self.key(Self.persian))
        let cr = Self.persian.replacingOccurrences(of: "\n", with: "\r")
        #expect(Self.decodedKey(Array(cr.utf8)) == Self.key(Self.persian))
    }

    @Test func bomCopy() {
        #expect(Self.decodedKey([0xEF, 0xBB, 0xBF] + Array(Self.persian.utf8)) == Self.key(Self.persian))
    }

    @Test func arabicYehAndKafVariant() {
        let arabicLetters = Self.persian.replacingOccurrences(of: "ی", with: "ي").replacingOccurrences(
            of: "ک", with: "ك")
        #expect(arabicLetters != Self.persian)
        #expect(Self.key(arabicLetters) == Self.key(Self.persian))
    }

    @Test func zwnjRemovedOrAdded() {
        let removed = Self.persian.replacingOccurrences(of: "\u{200C}", with: "")
        #expect(removed != Self.persian)
        #expect(Self.key(removed) == Self.key(Self.persian))
        let added = Self.persian.replacingOccurrences(of: "وزیر", with: "وزیر\u{200C}")
        #expect(Self.key(added) == Self.key(Self.persian))
    }

    @Test func digitForms() {
        let ascii = Self.persian.replacingOccurrences(of: "۱۴۰۲", with: "1402").replacingOccurrences(
            of: "۳", with: "3")
        let arabicIndic = Self.persian.replacingOccurrences(of: "۱۴۰۲", with: "١٤٠٢")
        #expect(Self.key(ascii) == Self.key(Self.persian))
        #expect(Self.key(arabicIndic) == Self.key(Self.persian))
    }

    @Test func nfdAccents() {
        let nfd = Self.english.decomposedStringWithCanonicalMapping
        #expect(Array(nfd.unicodeScalars) != Array(Self.english.unicodeScalars))
        #expect(Self.key(nfd) == Self.key(Self.english))
    }

    @Test func harakatAdded() {
        let base = "وزير الدفاع الروسي يبحث التعاون مع نظيره الإيراني في موسكو اليوم."
        let marked = "وَزِيرُ الدِّفَاعِ الرُّوسِيُّ يَبْحَثُ التَّعَاوُنَ مَعَ نَظِيرِهِ الإِيرَانِيِّ فِي مُوسْكُو اليَوْمَ."
        #expect(Self.key(marked) == Self.key(base))
    }

    @Test func tatweelAndLineWrapping() {
        let base = "دمي الكبير في البيت"
        #expect(Self.key("دمـــى الكبير\nفي البيت") == Self.key(base))
    }

    @Test func differentTextDifferentKey() {
        #expect(Self.key(Self.persian) != Self.key(Self.english))
        #expect(Self.key("a b") != Self.key("ab"))
    }

    @Test func keyIsSHA256OfTheNormalisedText() {
        let text = "Hello,\nWorld!"
        // SHA-256("hello world")
        #expect(Self.key(text) == "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9")
    }
}

/// Step 1: decoding.
struct AnalysisDecoderTests {
    @Test func stripsBOMAndLineEndings() {
        #expect(TextDecoder.decode([0xEF, 0xBB, 0xBF, 0x61, 0x0D, 0x0A, 0x62, 0x0D, 0x63]) == "a\nb\nc")
        #expect(TextDecoder.decode(Array("plain\n".utf8)) == "plain\n")
        #expect(TextDecoder.decode([]) == "")
    }

    @Test func cleaningAStringIsDecodingItsBytes() {
        for text in ["\u{FEFF}a\r\nb\rc", "سلام\r\nدنیا\r", "plain\n", "", "\u{FEFF}", "no break"] {
            #expect(
                TextDecoder.clean(text) == TextDecoder.decode(Array(text.utf8)), "\(text.debugDescription)")
        }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(TextDecoder.decode([0x61, 0xFF, 0x62]) == nil)
        #expect(TextDecoder.decode([0xE2, 0x82]) == nil)
        #expect(TextDecoder.decode([0x0D, 0xC3]) == nil)
    }
}
