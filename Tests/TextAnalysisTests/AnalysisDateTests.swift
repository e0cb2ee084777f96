import Foundation
import TestSupport
import Testing

@testable import TextAnalysis

/// Written dates to exact UTC instants. Convention (see `DateMatch.date`): a date without a
/// time is midnight UTC of that day; a time without a zone is read as UTC.
struct AnalysisDateTests {
    static func instant(_ iso: String) -> Date? {
        ISO8601DateFormatter().date(from: iso)
    }

    /// (language, written form, expected instant)
    static let forms: [(String, String, String)] = [
        ("en", "2024-04-27", "2024-04-27T00:00:00Z"),
        ("en", "2024-04-27T08:11:00Z", "2024-04-27T08:11:00Z"),
        ("en", "2024-04-27T08:11:30.250+03:00", "2024-04-27T05:11:30Z"),
        ("en", "Apr 27, 2024 08:11 UTC", "2024-04-27T08:11:00Z"),
        ("en", "27 April 2024", "2024-04-27T00:00:00Z"),
        ("en", "April 27, 2024", "2024-04-27T00:00:00Z"),
        ("en", "Saturday, 27 April 2024 at 8:11 pm GMT", "2024-04-27T20:11:00Z"),
        ("en", "Published 27/04/2024", "2024-04-27T00:00:00Z"),
        ("en", "Sept 3, 2019 11:05 GMT+3", "2019-09-03T08:05:00Z"),
        ("sw", "27 Aprili 2024", "2024-04-27T00:00:00Z"),
        ("sw", "Aprili 26, 2024", "2024-04-26T00:00:00Z"),
        ("sw", "Jumamosi, 27 Aprili 2024", "2024-04-27T00:00:00Z"),
        ("sw", "1 Januari 2020", "2020-01-01T00:00:00Z"),
        ("sw", "31 Desemba 2019 saa 14:30", "2019-12-31T14:30:00Z"),
        ("sw", "5 Machi 2023", "2023-03-05T00:00:00Z"),
        ("sw", "Tetesi za Soka Jumatatu 04.11.2019", "2019-11-04T00:00:00Z"),
        ("ar", "27 أبريل 2024", "2024-04-27T00:00:00Z"),
        ("ar", "٢٧ إبريل ٢٠٢٤", "2024-04-27T00:00:00Z"),
        ("ar", "٢٧ نيسان ٢٠٢٤", "2024-04-27T00:00:00Z"),
        ("ar", "15 كانون الثاني 2024", "2024-01-15T00:00:00Z"),
        ("ar", "27 أفريل 2024", "2024-04-27T00:00:00Z"),
        ("ar", "11 جانفي 2024", "2024-01-11T00:00:00Z"),
        ("ar", "السبت 27 أبريل 2024 الساعة 08:11 م", "2024-04-27T20:11:00Z"),
        ("ar", "26 شوال 1436 هـ", "2015-08-11T00:00:00Z"),
        ("ar", "١٨ شوال ١٤٤٥", "2024-04-27T00:00:00Z"),
        ("ar", "1 محرم 1446", "2024-07-07T00:00:00Z"),
        ("ar", "1 رمضان 1445هـ", "2024-03-11T00:00:00Z"),
        ("fa", "۸ اردیبهشت ۱۴۰۳", "2024-04-27T00:00:00Z"),
        ("fa", "۲۲ بهمن ۱۴۰۲", "2024-02-11T00:00:00Z"),
        ("fa", "۱ دی ماه ۱۴۰۲", "2023-12-22T00:00:00Z"),
        ("fa", "1403/02/08", "2024-04-27T00:00:00Z"),
        ("fa", "۱۴۰۳/۰۲/۰۸ ساعت ۱۰:۳۰", "2024-04-27T10:30:00Z"),
        ("fa", "شنبه 20 دی 93", "2015-01-10T00:00:00Z"),
        ("fa", "27 آوریل 2024", "2024-04-27T00:00:00Z"),
        ("fa", "۱۵ ژانویه ۲۰۲۴", "2024-01-15T00:00:00Z"),
        ("fa", "۱۸ شوال ۱۴۴۵", "2024-04-27T00:00:00Z"),
        ("fa", "۱۵ ربیع‌الاول ۱۴۴۶", "2024-09-18T00:00:00Z"),
    ]

    @Test("written form to exact instant", arguments: forms)
    func parses(_ row: (String, String, String)) throws {
        let expected = try #require(Self.instant(row.2))
        let matches = DateParser.dates(in: row.1, dayFirst: row.0 != "en")
        #expect(matches.count == 1, "\(row.1): \(matches)")
        #expect(matches.first?.date == expected, "\(row.0) \(row.1)")
    }

    /// Requirement: at least five written forms per language are read, each to its instant.
    @Test(arguments: ["en", "sw", "ar", "fa"])
    func atLeastFiveFormsPerLanguage(_ language: String) throws {
        var read: [String] = []
        var missed: [String] = []
        for (_, written, iso) in Self.forms.filter({ $0.0 == language }) {
            let expected = try #require(Self.instant(iso))
            let dates = DateParser.dates(in: written, dayFirst: language != "en").map(\.date)
            if dates == [expected] { read.append(written) } else { missed.append("\(written): \(dates)") }
        }
        #expect(Set(read).count >= 5, "\(language) reads \(read.count) forms: \(read); missed \(missed)")
        #expect(missed.isEmpty, "\(language): \(missed)")
    }

    @Test func calendarsAndPrecision() throws {
        let persian = try #require(DateParser.dates(in: "۸ اردیبهشت ۱۴۰۳").first)
        #expect(persian.calendar == .persian)
        #expect(persian.precision == .day)
        let hijri = try #require(DateParser.dates(in: "26 شوال 1436 هـ").first)
        #expect(hijri.calendar == .islamic)
        let timed = try #require(DateParser.dates(in: "2024-04-27T08:11:05Z").first)
        #expect(timed.precision == .second)
        let month = try #require(DateParser.dates(in: "في أكتوبر 2023").first)
        #expect(month.precision == .month)
        #expect(month.date == Self.instant("2023-10-01T00:00:00Z"))
    }

    @Test func rejectsWhatIsNotADate() {
        #expect(DateParser.dates(in: "31 April 2024").isEmpty)
        #expect(DateParser.dates(in: "30 فبراير 2024").isEmpty)
        #expect(DateParser.dates(in: "On April 13, the strikes began").isEmpty)
        #expect(DateParser.dates(in: "resolution 2231 of the council").isEmpty)
        #expect(DateParser.dates(in: "score 3-1 in 12/1990").isEmpty)
        // Ambiguous day/month order is not guessed in English.
        #expect(DateParser.dates(in: "03/04/2024", dayFirst: false).isEmpty)
        #expect(
            DateParser.dates(in: "03/04/2024", dayFirst: true).first?.date
                == Self.instant("2024-04-03T00:00:00Z"))
    }

    @Test func publicationWindow() throws {
        let now = try #require(Self.instant("2024-05-01T00:00:00Z"))
        #expect(!DateParser.isPlausible(try #require(Self.instant("1989-12-31T23:59:59Z")), now: now))
        #expect(DateParser.isPlausible(try #require(Self.instant("1990-01-01T00:00:00Z")), now: now))
        #expect(!DateParser.isPlausible(try #require(Self.instant("2024-05-03T00:00:00Z")), now: now))
        let old = TextAnalyzer.analyze(
            "12 March 1985\n\nThe article body is here and it is long enough to read.", now: now)
        #expect(old.published == nil)
        let future = TextAnalyzer.analyze(
            "27 April 2031\n\nThe article body is here and it is long enough to read.", now: now)
        #expect(future.published == nil)
        let fine = TextAnalyzer.analyze(
            "27 April 2024\n\nThe article body is here and it is long enough to read.", now: now)
        #expect(fine.published == Self.instant("2024-04-27T00:00:00Z"))
    }

    /// Every date written in the five seeds.
    @Test func seedDates() throws {
        func all(_ name: String) throws -> [(Int, DateMatch)] {
            let lines = try Seeds.text(name).split(separator: "\n", omittingEmptySubsequences: false)
            return lines.enumerated().flatMap { index, line in DateParser.dates(in: line).map { (index, $0) }
            }
        }
        let seed0 = try all("000_9b9f0b0c4bd5f601.txt")
        #expect(seed0.map(\.0) == [0, 13])
        #expect(seed0.first?.1.date == Self.instant("2024-04-27T08:11:00Z"))
        #expect(seed0.last?.1.date == Self.instant("2024-04-26T00:00:00Z"))
        // "On April 1" and "on April 13" give no year: not dates.
        #expect(try all("001_5aef100b6d616e8f.txt").isEmpty)
        #expect(try all("002_1b7f967809f53ab6.txt").isEmpty)
        let seed3 = try all("003_15e6eb85c3f0274a.txt")
        #expect(seed3.count == 1)
        #expect(seed3.first?.0 == 6)
        #expect(seed3.first?.1.precision == .month)
        #expect(seed3.first?.1.date == Self.instant("2023-10-01T00:00:00Z"))
        #expect(try all("004_f959d564852dad14.txt").isEmpty)

        let now = try #require(Self.instant("2024-05-01T00:00:00Z"))
        #expect(
            TextAnalyzer.analyze(try Seeds.text("000_9b9f0b0c4bd5f601.txt"), now: now).published
                == Self.instant("2024-04-27T08:11:00Z"))
        for name in Seeds.names.dropFirst() {
            #expect(TextAnalyzer.analyze(try Seeds.text(name), now: now).published == nil, "\(name)")
        }
    }

    @Test func spaDatelineGivesPublication() throws {
        let text =
            "عنوان الخبر هنا اليوم\n\nأبها 26 شوال 1436 هـ الموافق 11 أغسطس 2015 م واس\nأكد أمير المنطقة أن المشروع سيكتمل قريبا في المدينة وأن العمل مستمر في جميع المواقع بلا توقف."
        let analysis = TextAnalyzer.analyze(text, now: try #require(Self.instant("2024-05-01T00:00:00Z")))
        #expect(analysis.published == Self.instant("2015-08-11T00:00:00Z"))
        #expect(analysis.boilerplate.contains(BoilerplateLine(line: 2, reason: "date line")))
    }

    @Test func civilDayArithmetic() {
        #expect(DateParser.daysFromCivil(year: 1970, month: 1, day: 1) == 0)
        #expect(DateParser.daysFromCivil(year: 2000, month: 3, day: 1) == 11_017)
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            let (y, m, d) = DateParser.civilFromDays(days)
            #expect(DateParser.daysFromCivil(year: y, month: m, day: d) == days)
        }
    }
}
