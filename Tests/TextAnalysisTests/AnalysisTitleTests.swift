import TestSupport
import Testing

@testable import TextAnalysis

/// Titles from title lines, site suffixes, and first sentences.
struct AnalysisTitleTests {
    @Test func seedTitles() throws {
        let expected: [(String, String, TitleSource)] = [
            ("000_9b9f0b0c4bd5f601.txt", "Iran kuimarisha uhusiano wa kijeshi na Russia, China", .line),
            ("001_5aef100b6d616e8f.txt", "Iran DM discusses cooperation with China, Russia", .line),
            (
                "002_1b7f967809f53ab6.txt",
                "وزيرا الدفاع الروسي والإيراني يبحثان تعزيز التعاون وقضايا الأمن الإقليمي", .line
            ),
            (
                "004_f959d564852dad14.txt", "همکاریهای نظامی و دفاعی ایران و تاجیکستان علیه کشور ثالثی نیست",
                .line
            ),
        ]
        for (name, title, source) in expected {
            let analysis = TextAnalyzer.analyze(try Seeds.text(name))
            #expect(analysis.title == title, "\(name)")
            #expect(analysis.titleSource == source, "\(name)")
        }
        // Seed 003 has no title line: its first sentence stands in, capped at 30 words.
        let seed3 = TextAnalyzer.analyze(try Seeds.text("003_15e6eb85c3f0274a.txt"))
        #expect(seed3.titleSource == .firstSentence)
        #expect(seed3.title?.hasPrefix("وقال العميد آشتياني") == true)
        #expect(TitleExtractor.wordCount(seed3.title ?? "") <= 30)
    }

    @Test func swahiliWithoutTitleLine() {
        let text = """
            Mshambuliaji wa Real Madrid Gareth Bale anakaribia kuondoka katika klabu hiyo kulingana na mkufunzi wa klabu hiyo Zinedine Zidane.

            Mchezaji huyo wa taifa la Wales aliwachwa nje wakati Real Madrid ilipolazwa 3-1 na Bayern Munich.
            """
        let analysis = TextAnalyzer.analyze(text)
        #expect(analysis.titleSource == .firstSentence)
        #expect(
            analysis.title
                == "Mshambuliaji wa Real Madrid Gareth Bale anakaribia kuondoka katika klabu hiyo kulingana na mkufunzi wa klabu hiyo Zinedine Zidane."
        )
    }

    @Test func firstSentenceWithoutSpaceAfterStop() {
        #expect(
            TitleExtractor.firstSentence("Bw. Juma alisema mambo mengi mwaka huu.Alitoa taarifa 3.5 leo.")
                == "Bw. Juma alisema mambo mengi mwaka huu.")
    }

    @Test(
        "site suffixes",
        arguments: [
            ("Iran and Russia sign defence pact | Example News", "Iran and Russia sign defence pact"),
            ("Iran and Russia sign defence pact – Tehran Times", "Iran and Russia sign defence pact"),
            ("Iran and Russia sign defence pact - BBC News", "Iran and Russia sign defence pact"),
            ("Tevez - an Argentine in Brazil", "Tevez - an Argentine in Brazil"),
            ("London Irish 19-33 Wasps", "London Irish 19-33 Wasps"),
        ])
    func suffix(_ row: (String, String)) {
        #expect(TitleExtractor.stripSiteSuffix(row.0) == row.1)
    }

    @Test func headlinesMayEndWithQuestionMarks() {
        let text =
            "Could Yukos be a blessing in disguise?\n\nThe Russian oil firm's troubles may yet benefit the economy, analysts said on Monday in Moscow."
        #expect(TextAnalyzer.analyze(text).titleLine == 0)
        let short =
            "قالوا\n\nقال وزير الخارجية إن المحادثات كانت مثمرة وإن الجانبين اتفقا على مواصلة الحوار خلال الأسابيع المقبلة."
        let analysis = TextAnalyzer.analyze(short)
        #expect(analysis.title == "قالوا")
        #expect(analysis.titleSource == .line)
    }

    @Test func emptyText() {
        let analysis = TextAnalyzer.analyze("")
        #expect(analysis.title == nil)
        #expect(analysis.titleSource == .none)
        #expect(analysis.minhash.isEmpty)
        #expect(analysis.language == "und")
        #expect(analysis.script == "Zyyy")
    }
}
