import Foundation
import Testing

@testable import TextAnalysis

/// The Persian and Umm al-Qura tables against Foundation's (ICU's) calendars, their source.
struct CalendarTableTests {
    @Test("the committed tables are what Foundation's calendars say, month by month")
    func tablesMatchFoundation() {
        #expect(persianCalendarTable == CalendarTable.measure(.persian, years: 1300...1499))
        #expect(ummAlQuraCalendarTable == CalendarTable.measure(.islamicUmmAlQura, years: 1300...1600))
    }

    @Test(
        "every first and last day, and the day after the last, converts as Foundation converts it",
        arguments: [
            (Calendar.Identifier.persian, persianCalendarTable), (.islamicUmmAlQura, ummAlQuraCalendarTable),
        ])
    func everyMonthEdgeMatchesFoundation(_ identifier: Calendar.Identifier, _ table: CalendarTable) {
        var calendar = Calendar(identifier: identifier)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        // Foundation's answer the way DateParser used to ask: nil unless the day round-trips.
        func foundation(_ year: Int, _ month: Int, _ day: Int) -> Int? {
            guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day)) else {
                return nil
            }
            let back = calendar.dateComponents([.year, .month, .day], from: date)
            guard back.year == year, back.month == month, back.day == day else { return nil }
            return Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        }
        var mismatches: [String] = []
        for year in table.firstYear...table.lastYear {
            for month in 1...12 {
                for day in [1, 15, 29, 30, 31]
                where table.days(year: year, month: month, day: day)
                    != foundation(
                        year, month, day)
                {
                    mismatches.append("\(year)-\(month)-\(day)")
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    @Test func knownDays() throws {
        // Nowruz 1403 was 20 March 2024; 1 Ramadan 1445 (Umm al-Qura) was 11 March 2024.
        #expect(persianCalendarTable.days(year: 1403, month: 1, day: 1) == 19_802)
        #expect(ummAlQuraCalendarTable.days(year: 1445, month: 9, day: 1) == 19_793)
        // Esfand has 30 days in a leap year (1403) and 29 otherwise (1402).
        #expect(persianCalendarTable.length(year: 1403, month: 12) == 30)
        #expect(persianCalendarTable.length(year: 1402, month: 12) == 29)
        #expect(persianCalendarTable.days(year: 1402, month: 12, day: 30) == nil)
        // Outside the tables there is no date rather than a wrong one.
        #expect(persianCalendarTable.days(year: 1299, month: 12, day: 1) == nil)
        #expect(ummAlQuraCalendarTable.days(year: 1601, month: 1, day: 1) == nil)
        let date = try #require(DateParser.makeDate(.persian, year: 1403, month: 1, day: 1))
        #expect(date == Date(timeIntervalSince1970: 19_802 * 86_400))
    }
}
