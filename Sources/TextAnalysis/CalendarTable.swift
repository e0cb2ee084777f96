import Foundation

/// A non-Gregorian calendar as data: for each year of a range, the day its first month starts
/// and the length of each of its twelve months.
///
/// Foundation's Persian solar and Umm al-Qura Hijri `Calendar`s are, on Linux, ICU's:
/// converting one date loads ICU's calendar, locale and time-zone data, 5.5 MiB of resident
/// memory in a daemon that otherwise never needs them. The tables (`CalendarTables.swift`) are
/// generated from those same calendars by `analysis-probe calendar-tables`, and a test holds
/// every month of both ranges to them.
public struct CalendarTable: Sendable, Equatable {
    /// The first year the table covers.
    public let firstYear: Int
    /// Days since 1970-01-01 (UTC) of day 1 of month 1, per year from `firstYear`.
    public let yearStarts: [Int32]
    /// Month lengths per year: two bits per month (length − 29), month 1 in the lowest bits.
    public let monthLengths: [UInt32]

    public init(firstYear: Int, yearStarts: [Int32], monthLengths: [UInt32]) {
        self.firstYear = firstYear
        self.yearStarts = yearStarts
        self.monthLengths = monthLengths
    }

    /// The last year the table covers.
    var lastYear: Int { firstYear + yearStarts.count - 1 }

    /// Days in `month` (1-12) of `year`, nil outside the table.
    public func length(year: Int, month: Int) -> Int? {
        guard (firstYear...lastYear).contains(year), (1...12).contains(month) else { return nil }
        return 29 + Int((monthLengths[year - firstYear] >> (2 * (month - 1))) & 3)
    }

    /// Days since 1970-01-01 (UTC) of a day of this calendar; nil for a day that does not
    /// exist (day 31 of a 30-day month) or a year outside the table.
    func days(year: Int, month: Int, day: Int) -> Int? {
        guard let monthLength = length(year: year, month: month), (1...monthLength).contains(day) else {
            return nil
        }
        var days = Int(yearStarts[year - firstYear])
        for earlier in 1..<month { days += length(year: year, month: earlier) ?? 0 }
        return days + day - 1
    }

    /// The table of `calendar` (its time zone set to UTC) for `years`, measured month by month:
    /// what `analysis-probe calendar-tables` writes as `CalendarTables.swift`, and the tests' oracle.
    public static func measure(
        _ identifier: Calendar.Identifier, years: ClosedRange<Int>
    ) -> CalendarTable {
        var calendar = Calendar(identifier: identifier)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        func start(_ year: Int, _ month: Int) -> Int {
            let date = calendar.date(from: DateComponents(year: year, month: month, day: 1)) ?? .distantPast
            return Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        }
        var starts: [Int32] = []
        var lengths: [UInt32] = []
        for year in years {
            starts.append(Int32(start(year, 1)))
            var bits: UInt32 = 0
            for month in 1...12 {
                let next = month == 12 ? start(year + 1, 1) : start(year, month + 1)
                let length = next - start(year, month)
                bits |= UInt32(max(0, min(3, length - 29))) << (2 * (month - 1))
            }
            lengths.append(bits)
        }
        return CalendarTable(firstYear: years.lowerBound, yearStarts: starts, monthLengths: lengths)
    }
}
