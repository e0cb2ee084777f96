import Foundation

/// A date written in a line of text.
struct DateMatch: Sendable, Equatable {
    /// How much of the instant the text gave.
    enum Precision: Int, Sendable, Comparable {
        case month, day, minute, second

        /// Coarser precisions order first.
        static func < (lhs: Precision, rhs: Precision) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The calendar the text was written in.
    enum CalendarKind: String, Sendable {
        case gregorian, persian, islamic
    }

    /// The UTC instant. Convention: a date without a time is midnight UTC of that day, a
    /// month without a day is the first of the month, and a time without a zone is read as
    /// UTC (the text does not say which zone; the catalogue keeps instants, not local days).
    var date: Date
    /// Month, day, minute or second.
    var precision: Precision
    /// The calendar of the written form.
    var calendar: CalendarKind
    /// The tokens of the line that the date spans (see `DateParser.tokenCount(of:)`).
    var tokens: Range<Int>
}

/// Finds written dates: ISO 8601, `Apr 27, 2024 08:11 UTC`, `d MMMM yyyy` and
/// `MMMM d, yyyy` with English, Swahili, Arabic (Egyptian/Gulf, Levantine, Maghrebi) and
/// Persian month names, Persian solar dates (names, or numeric years 1300-1499) and Hijri
/// dates (month names, years 1400-1500 AH), with digits of any script.
enum DateParser {
    /// The earliest publication date accepted (1990-01-01T00:00:00Z).
    static let earliest = Date(timeIntervalSince1970: 631_152_000)
    /// Slack for "in the future": a zone-less time is read as UTC, and a local day can be
    /// up to 14 hours ahead of UTC.
    static let futureSlack: TimeInterval = 14 * 3600

    /// Whether `date` can be a publication date seen at `now`: not before 1990, not after now.
    static func isPlausible(_ date: Date, now: Date) -> Bool {
        date >= earliest && date <= now.addingTimeInterval(futureSlack)
    }

    /// Every date in one line, in order. `dayFirst` decides ambiguous numeric dates such as
    /// 03/04/2024 (day first outside English; an English text only accepts unambiguous ones).
    static func dates<S: StringProtocol>(in line: S, dayFirst: Bool = true) -> [DateMatch] {
        let tokens = DateTokenizer.tokenize(line)
        var out: [DateMatch] = []
        var index = 0
        while index < tokens.count {
            // Every pattern starts with a number or the first word of a month name.
            let canStart: Bool
            switch tokens[index].kind {
            case .number: canStart = true
            case .word(let word): canStart = DateNames.monthFirstWords.contains(word)
            case .punct: canStart = false
            }
            if canStart, let (match, end) = parse(tokens, at: index, dayFirst: dayFirst) {
                // A written but impossible day (31 April) is consumed without a match, so
                // its month and year are not read again as "April 2024".
                if let match { out.append(match) }
                index = end
            } else {
                index += 1
            }
        }
        return out
    }

    /// How many tokens a line has, in the numbering `DateMatch.tokens` uses.
    static func tokenCount<S: StringProtocol>(of line: S) -> Int {
        DateTokenizer.tokenize(line).count
    }

    // MARK: - Patterns

    private static func parse(_ t: [DateToken], at i: Int, dayFirst: Bool) -> (DateMatch?, Int)? {
        if let result = numeric(t, at: i, dayFirst: dayFirst) { return result }
        if let result = dayMonthYear(t, at: i) { return result }
        if let result = monthDayYear(t, at: i) { return result }
        return nil
    }

    /// yyyy-mm-dd (ISO 8601, also with / or .) and dd/mm/yyyy.
    private static func numeric(_ t: [DateToken], at i: Int, dayFirst: Bool) -> (DateMatch?, Int)? {
        guard i + 4 < t.count, case .number(let a, let aDigits) = t[i].kind,
            case .punct(let s1) = t[i + 1].kind, s1 == "-" || s1 == "/" || s1 == ".",
            case .number(let b, let bDigits) = t[i + 2].kind, bDigits <= 2,
            case .punct(let s2) = t[i + 3].kind, s2 == s1,
            case .number(let c, let cDigits) = t[i + 4].kind
        else { return nil }
        var end = i + 5
        let year: Int
        let month: Int
        let day: Int
        if aDigits == 4, cDigits <= 2 {
            (year, month, day) = (a, b, c)
        } else if aDigits <= 2, cDigits == 4 {
            let ambiguous = a <= 12 && b <= 12 && a != b
            if ambiguous && !dayFirst { return nil }
            (year, month, day) = (c, b, a)
        } else {
            return nil
        }
        var calendar = DateMatch.CalendarKind.gregorian
        if (1300...1499).contains(year) {
            calendar = .persian
            if end < t.count, let (eraEnd, isIslamic) = islamicEra(t, at: end), isIslamic {
                calendar = .islamic
                end = eraEnd
            }
        } else if !(1900...2100).contains(year) {
            return nil
        }
        guard var date = makeDate(calendar, year: year, month: month, day: day) else { return (nil, end) }
        var precision = DateMatch.Precision.day
        if let (seconds, timePrecision, timeEnd) = time(t, at: end, allowT: true) {
            date = date.addingTimeInterval(TimeInterval(seconds))
            precision = timePrecision
            end = timeEnd
        }
        return (DateMatch(date: date, precision: precision, calendar: calendar, tokens: i..<end), end)
    }

    /// 27 April 2024, ۱۵ فروردین ۱۴۰۳, 26 شوال 1436 هـ; also April 2024 (month precision).
    private static func dayMonthYear(_ t: [DateToken], at i: Int) -> (DateMatch?, Int)? {
        var index = i
        var day: Int?
        if case .number(let value, let digits) = t[index].kind, digits <= 2, (1...31).contains(value) {
            day = value
            index += 1
            index = skipPunct(t, at: index, [".", ","])
        }
        guard index < t.count, let (calendar, month, afterMonth) = monthName(t, at: index) else { return nil }
        index = afterMonth
        index = skipFillers(t, at: index)
        index = skipPunct(t, at: index, [",", "-"])
        index = skipFillers(t, at: index)
        guard index < t.count, case .number(let rawYear, let yearDigits) = t[index].kind else { return nil }
        index += 1
        guard let year = year(rawYear, digits: yearDigits, calendar: calendar) else { return nil }
        if let (eraEnd, _) = islamicEra(t, at: index) { index = eraEnd }
        if let result = finish(calendar, year: year, month: month, day: day, tokens: t, start: i, end: index)
        {
            return result
        }
        return day == nil ? nil : (nil, index)
    }

    /// April 27, 2024 08:11 UTC; Aprili 26, 2024.
    private static func monthDayYear(_ t: [DateToken], at i: Int) -> (DateMatch?, Int)? {
        guard let (calendar, month, afterMonth) = monthName(t, at: i), calendar == .gregorian else {
            return nil
        }
        var index = afterMonth
        guard index < t.count, case .number(let day, let dayDigits) = t[index].kind, dayDigits <= 2,
            (1...31).contains(day)
        else { return nil }
        index = skipPunct(t, at: index + 1, [","])
        guard index < t.count, case .number(let rawYear, let yearDigits) = t[index].kind, yearDigits == 4,
            let year = year(rawYear, digits: yearDigits, calendar: calendar)
        else { return nil }
        guard
            let result = finish(
                calendar, year: year, month: month, day: day, tokens: t, start: i, end: index + 1)
        else { return (nil, index + 1) }
        return result
    }

    private static func finish(
        _ calendar: DateNames.Calendar, year: Int, month: Int, day: Int?, tokens t: [DateToken], start: Int,
        end: Int
    ) -> (DateMatch, Int)? {
        let kind: DateMatch.CalendarKind
        switch calendar {
        case .gregorian: kind = .gregorian
        case .persian: kind = .persian
        case .islamic: kind = .islamic
        }
        guard var date = makeDate(kind, year: year, month: month, day: day ?? 1) else { return nil }
        var precision: DateMatch.Precision = day == nil ? .month : .day
        var index = end
        if day != nil, let (seconds, timePrecision, timeEnd) = time(t, at: index, allowT: false) {
            date = date.addingTimeInterval(TimeInterval(seconds))
            precision = timePrecision
            index = timeEnd
        }
        return (DateMatch(date: date, precision: precision, calendar: kind, tokens: start..<index), index)
    }

    /// A year in the range its calendar allows; two-digit Persian solar years are 13xx/14xx.
    private static func year(_ raw: Int, digits: Int, calendar: DateNames.Calendar) -> Int? {
        switch calendar {
        case .gregorian:
            return digits == 4 && (1900...2100).contains(raw) ? raw : nil
        case .persian:
            if digits == 2 { return raw >= 50 ? 1300 + raw : 1400 + raw }
            return digits == 4 && (1300...1499).contains(raw) ? raw : nil
        case .islamic:
            return digits == 4 && (1400...1500).contains(raw) ? raw : nil
        }
    }

    // MARK: - Pieces

    private static func monthName(_ t: [DateToken], at i: Int) -> (DateNames.Calendar, Int, Int)? {
        for length in stride(from: 3, through: 1, by: -1) where i + length <= t.count {
            var spaced = ""
            var joined = ""
            var allWords = true
            for k in i..<(i + length) {
                guard case .word(let word) = t[k].kind else {
                    allWords = false
                    break
                }
                spaced += (k == i ? "" : " ") + word
                joined += word
            }
            guard allWords else { continue }
            if let (calendar, month) = DateNames.months[spaced] ?? DateNames.months[joined] {
                return (calendar, month, i + length)
            }
        }
        return nil
    }

    private static func skipPunct(_ t: [DateToken], at i: Int, _ allowed: Set<String>) -> Int {
        if i < t.count, case .punct(let p) = t[i].kind, allowed.contains(p) { return i + 1 }
        return i
    }

    private static func skipFillers(_ t: [DateToken], at i: Int) -> Int {
        if i < t.count, case .word(let w) = t[i].kind, DateNames.fillers.contains(w) { return i + 1 }
        return i
    }

    /// An era marker after a year: (end, whether it names the Islamic lunar era).
    private static func islamicEra(_ t: [DateToken], at i: Int) -> (Int, Bool)? {
        guard i < t.count, case .word(let w) = t[i].kind else { return nil }
        if i + 1 < t.count, case .word(let w2) = t[i + 1].kind, DateNames.islamicEras.contains(w + " " + w2) {
            return (i + 2, true)
        }
        if DateNames.islamicEras.contains(w) { return (i + 1, true) }
        return nil
    }

    /// A time after a date: [T|at|,] hh:mm[:ss[.fff]] [am|pm] [zone]. Returns seconds after
    /// midnight UTC, precision and end.
    private static func time(_ t: [DateToken], at start: Int, allowT: Bool) -> (
        Int, DateMatch.Precision, Int
    )? {
        var i = start
        if i < t.count, case .word(let w) = t[i].kind, DateNames.timeLeads.contains(w) || (allowT && w == "t")
        {
            i += 1
        }
        i = skipPunct(t, at: i, [",", "-"])
        guard i + 2 < t.count, case .number(let hour, let hourDigits) = t[i].kind, hourDigits <= 2,
            case .punct(":") = t[i + 1].kind, case .number(let minute, let minuteDigits) = t[i + 2].kind,
            minuteDigits == 2, hour < 24, minute < 60
        else { return nil }
        i += 3
        var seconds = 0
        var precision = DateMatch.Precision.minute
        if i + 1 < t.count, case .punct(":") = t[i].kind, case .number(let s, 2) = t[i + 1].kind, s < 61 {
            seconds = s
            precision = .second
            i += 2
            if i + 1 < t.count, case .punct(".") = t[i].kind, case .number = t[i + 1].kind { i += 2 }
        }
        var hour24 = hour
        if let (end, pm) = meridiem(t, at: i) {
            if pm && hour < 12 { hour24 += 12 }
            if !pm && hour == 12 { hour24 = 0 }
            i = end
        }
        var offset = 0
        if let (end, zoneOffset) = zone(t, at: i) {
            offset = zoneOffset
            i = end
        }
        return (hour24 * 3600 + minute * 60 + seconds - offset, precision, i)
    }

    private static func meridiem(_ t: [DateToken], at i: Int) -> (Int, Bool)? {
        let words = wordRun(t, at: i, maxLength: 3)
        for (text, end) in words.reversed() {
            if DateNames.morning.contains(text) { return (end, false) }
            if DateNames.afternoon.contains(text) { return (end, true) }
        }
        return nil
    }

    private static func zone(_ t: [DateToken], at i: Int) -> (Int, Int)? {
        var index = i
        var base = 0
        var named = false
        for (text, end) in wordRun(t, at: i, maxLength: 2).reversed() {
            if let offset = DateNames.zoneOffsets[text] {
                base = offset
                index = end
                named = true
                break
            }
        }
        // +03:00, +0330, -05, or GMT+3.
        if index + 1 < t.count, case .punct(let sign) = t[index].kind, sign == "+" || sign == "-",
            case .number(let value, let digits) = t[index + 1].kind
        {
            var hours = value
            var minutes = 0
            var end = index + 2
            if digits == 4 {
                hours = value / 100
                minutes = value % 100
            } else if end + 1 < t.count, case .punct(":") = t[end].kind,
                case .number(let m, 2) = t[end + 1].kind
            {
                minutes = m
                end += 2
            }
            guard hours <= 14, minutes < 60, digits <= 4 else { return named ? (index, base) : nil }
            let offset = (hours * 3600 + minutes * 60) * (sign == "+" ? 1 : -1)
            return (end, base + offset)
        }
        return named ? (index, base) : nil
    }

    /// The word texts starting at `i`, joined by spaces, for 1...maxLength words.
    private static func wordRun(_ t: [DateToken], at i: Int, maxLength: Int) -> [(String, Int)] {
        var out: [(String, Int)] = []
        var text = ""
        var k = i
        while k < t.count, k < i + maxLength {
            if case .word(let w) = t[k].kind {
                text += (text.isEmpty ? "" : " ") + w
                out.append((text, k + 1))
                k += 1
            } else if case .punct(".") = t[k].kind, !text.isEmpty {
                k += 1  // a.m., ب.ظ, ه.ق
            } else {
                break
            }
        }
        return out
    }

    // MARK: - Calendars

    /// Midnight UTC of a calendar day, nil for a day that does not exist (31 April) or a
    /// Persian or Hijri year outside the tables (`CalendarTables.swift`: 1921-2121 and
    /// 1882-2174 in Gregorian years, far wider than a plausible publication date).
    static func makeDate(_ kind: DateMatch.CalendarKind, year: Int, month: Int, day: Int) -> Date? {
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        let days: Int?
        switch kind {
        case .gregorian:
            let civil = daysFromCivil(year: year, month: month, day: day)
            let (y, m, d) = civilFromDays(civil)
            days = y == year && m == month && d == day ? civil : nil
        case .persian:
            days = persianCalendarTable.days(year: year, month: month, day: day)
        case .islamic:
            days = ummAlQuraCalendarTable.days(year: year, month: month, day: day)
        }
        return days.map { Date(timeIntervalSince1970: TimeInterval($0) * 86_400) }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The inverse of `daysFromCivil`.
    static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
