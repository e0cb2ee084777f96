import TestSupport
import Testing

@testable import TextAnalysis

/// Language and script on un-normalised text.
struct AnalysisLanguageTests {
    /// (expected language, expected script, text)
    static let samples: [(String, String, String)] = [
        (
            "en", "Latn",
            "The defence minister said on Tuesday that the two countries would expand their cooperation."
        ),
        (
            "sw", "Latn",
            "Waziri wa Ulinzi amesema kuwa nchi hizo mbili zitaimarisha ushirikiano wao katika masuala ya usalama."
        ),
        ("ar", "Arab", "وقال وزير الدفاع إن البلدين سيعززان التعاون في مجال الأمن خلال الفترة المقبلة."),
        ("fa", "Arab", "وزیر دفاع گفت که دو کشور همکاری‌های خود را در زمینه امنیت گسترش می‌دهند."),
        // Persian typed with Arabic yeh and kaf (older Fars News pages).
        ("fa", "Arab", "وزير دفاع گفت كه دو كشور همكاري هاي خود را در زمينه امنيت گسترش مي دهند."),
        ("en", "Latn", "Indonesians face fuel price rise"),
        ("en", "Latn", "Ad sales boost Time Warner profit"),
        ("ar", "Arab", "موجز أخبار"),
        ("fa", "Arab", "همکاریهای نظامی و دفاعی ایران و تاجیکستان علیه کشور ثالثی نیست"),
        ("und", "Cyrl", "Министр обороны заявил, что страны расширят сотрудничество в области безопасности."),
        ("und", "Hani", "国防部长表示，两国将扩大安全领域的合作。"),
        ("und", "Jpan", "防衛大臣は、両国が安全保障分野での協力を拡大すると述べた。"),
        ("und", "Kore", "국방부 장관은 양국이 안보 분야 협력을 확대할 것이라고 말했다."),
        ("und", "Deva", "रक्षा मंत्री ने कहा कि दोनों देश सुरक्षा के क्षेत्र में सहयोग बढ़ाएंगे।"),
        ("und", "Hebr", "שר הביטחון אמר כי שתי המדינות ירחיבו את שיתוף הפעולה בתחום הביטחון."),
        ("und", "Grek", "Ο υπουργός Άμυνας δήλωσε ότι οι δύο χώρες θα επεκτείνουν τη συνεργασία τους."),
        ("und", "Ethi", "የመከላከያ ሚኒስትሩ ሁለቱ ሀገራት በጸጥታ ዘርፍ ትብብራቸውን እንደሚያሰፉ ተናግረዋል።"),
        // Urdu is Arabic script but neither Arabic nor Persian.
        (
            "und", "Arab",
            "وزیر دفاع نے کہا کہ دونوں ممالک سلامتی کے شعبے میں تعاون بڑھائیں گے۔ یہ ایک اہم پیش رفت ہے۔"
        ),
        // Other Latin-script languages are not forced into English or Swahili.
        (
            "und", "Latn",
            "Le ministre de la Défense a déclaré que les deux pays allaient renforcer leur coopération dans le domaine de la sécurité, selon un communiqué publié mardi soir par le ministère à Paris."
        ),
        (
            "und", "Latn",
            "Menteri Pertahanan mengatakan bahwa kedua negara akan memperluas kerja sama mereka di bidang keamanan, menurut pernyataan yang dirilis oleh kementerian pada hari Selasa malam di Jakarta."
        ),
        ("und", "Zyyy", "12345 !!! ..."),
        ("und", "Latn", "ok"),
        ("und", "Zyyy", ""),
    ]

    @Test func scalarValuesAreTheStringsScalars() {
        let text = "Habari za leo — خبر فوری: می‌شود ۱۴۰۳ 😀 ok"
        var seen: [UInt32] = []
        ScalarValues.forEach(text) {
            seen.append($0)
            return true
        }
        #expect(seen == text.unicodeScalars.map(\.value))
        let substring = text.dropFirst(7)
        seen = []
        ScalarValues.forEach(substring) {
            seen.append($0)
            return true
        }
        #expect(seen == substring.unicodeScalars.map(\.value))
        // It stops when asked to.
        seen = []
        ScalarValues.forEach(text) {
            seen.append($0)
            return seen.count < 3
        }
        #expect(seen == [0x48, 0x61, 0x62])
    }

    @Test("language and script", arguments: samples)
    func detects(_ row: (String, String, String)) {
        let guess = LanguageDetector.detect(row.2)
        #expect(guess.language == row.0, "\(row.2.prefix(40)): \(guess)")
        #expect(guess.script == row.1, "\(row.2.prefix(40)): \(guess)")
        #expect(guess.confidence >= 0 && guess.confidence <= 1)
        if row.0 != "und" { #expect(guess.confidence >= LanguageDetector.minimumConfidence) }
    }

    @Test func confidenceGrowsWithEvidence() {
        let short = LanguageDetector.detect("Waziri amesema")
        let long = LanguageDetector.detect(
            String(repeating: "Waziri wa Ulinzi amesema kuwa nchi hizo zitaimarisha ushirikiano. ", count: 5))
        #expect(long.confidence > short.confidence)
        #expect(long.confidence > 0.99)
    }

    @Test func seedLanguages() throws {
        let expected = ["sw", "en", "ar", "ar", "fa"]
        for (name, language) in zip(Seeds.names, expected) {
            let analysis = TextAnalyzer.analyze(try Seeds.text(name))
            #expect(analysis.language == language, "\(name)")
            #expect(analysis.languageConfidence > 0.95, "\(name)")
            #expect(analysis.script == (language == "sw" || language == "en" ? "Latn" : "Arab"))
        }
    }
}
