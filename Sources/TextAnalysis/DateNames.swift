/// Month names and date words per language and calendar, kept as data.
///
/// Names are normalised once (so أ/ا, ی/ي, ک/ك, ZWNJ and case never matter) and stored
/// both with and without their inner spaces, since Persian writes ربیع‌الاول with a ZWNJ
/// that normalisation deletes.
enum DateNames {
    /// Which calendar a month name belongs to.
    enum Calendar: Sendable {
        case gregorian
        case persian
        case islamic
    }

    /// Gregorian months, January first: each entry lists every spelling of that month.
    static let gregorian: [[String]] = [
        // English (full, abbreviation), Swahili, Arabic (Egypt/Gulf, Levant, Maghreb, Morocco),
        // Persian.
        ["january", "jan", "januari", "يناير", "كانون الثاني", "جانفي", "ژانویه"],
        ["february", "feb", "februari", "فبراير", "شباط", "فيفري", "فوریه"],
        ["march", "mar", "machi", "مارس", "آذار"],
        ["april", "apr", "aprili", "أبريل", "ابريل", "إبريل", "نيسان", "أفريل", "افريل", "آوریل"],
        ["may", "mei", "مايو", "أيار", "ايار", "ماي", "مه", "می"],
        ["june", "jun", "juni", "يونيو", "يونية", "حزيران", "جوان", "ژوئن"],
        ["july", "jul", "julai", "يوليو", "يولية", "تموز", "جويلية", "يوليوز", "ژوئیه", "ژوییه", "جولای"],
        ["august", "aug", "agosti", "أغسطس", "اغسطس", "آب", "أوت", "اوت", "غشت", "آگوست"],
        ["september", "sep", "sept", "septemba", "سبتمبر", "أيلول", "ايلول", "شتنبر", "سپتامبر"],
        ["october", "oct", "oktoba", "أكتوبر", "اكتوبر", "تشرين الأول", "تشرين اول", "اکتبر"],
        ["november", "nov", "novemba", "نوفمبر", "تشرين الثاني", "تشرين ثاني", "نونبر", "نوامبر"],
        ["december", "dec", "desemba", "ديسمبر", "كانون الأول", "كانون اول", "دجنبر", "دسامبر"],
    ]

    /// Persian solar (Hijri Shamsi) months, Farvardin first; then the Dari names.
    static let persian: [[String]] = [
        ["فروردین", "حمل"], ["اردیبهشت", "ثور"], ["خرداد", "جوزا"], ["تیر", "سرطان"],
        ["مرداد", "امرداد", "اسد"], ["شهریور", "سنبله"], ["مهر", "میزان"], ["آبان", "عقرب"],
        ["آذر", "قوس"], ["دی", "جدی"], ["بهمن", "دلو"], ["اسفند", "حوت"],
    ]

    /// Islamic (Hijri) months, Muharram first, in Arabic and Persian spellings.
    static let islamic: [[String]] = [
        ["محرم", "محرم الحرام"],
        ["صفر", "صفر المظفر"],
        ["ربيع الأول", "ربيع الاول", "ربيع أول", "ربیع‌الاول", "ربیع الاول"],
        ["ربيع الثاني", "ربيع الآخر", "ربيع ثاني", "ربیع‌الثانی", "ربیع الثانی", "ربیع‌الآخر"],
        ["جمادى الأولى", "جمادى الأول", "جمادى الاولى", "جمادی‌الاول", "جمادی‌الاولی", "جمادی الاول"],
        ["جمادى الآخرة", "جمادى الثانية", "جمادى الاخرة", "جمادی‌الثانی", "جمادی‌الآخر", "جمادی الثانی"],
        ["رجب", "رجب المرجب"],
        ["شعبان", "شعبان المعظم"],
        ["رمضان", "رمضان المبارك"],
        ["شوال"],
        ["ذو القعدة", "ذي القعدة", "ذوالقعدة", "ذی‌القعده", "ذیقعده", "ذی القعده"],
        ["ذو الحجة", "ذي الحجة", "ذوالحجة", "ذی‌الحجه", "ذیحجه", "ذی الحجه"],
    ]

    /// Words after a year that name an Islamic lunar era (هـ, ه.ق, قمری, هجري...).
    static let islamicEraWords: [String] = ["هـ", "ه", "ق", "ه ق", "هجري", "هجرية", "قمری", "قمري", "ah"]
    /// Words between a month and its year that carry no value ("ماه", "سال", "of").
    static let fillerWords: [String] = ["ماه", "سال", "of", "mwaka", "عام", "سنة", "لسنة", "لعام"]
    /// Words before a time ("at 08:11", "saa", "ساعت", "الساعة").
    static let timeLeadWords: [String] = ["at", "saa", "ساعت", "الساعة", "ساعه", "ساعة", "time"]
    /// Words after a time meaning before noon.
    static let morningWords: [String] = ["am", "a m", "ص", "صباحا", "صباح", "ق ظ", "قبل از ظهر", "asubuhi"]
    /// Words after a time meaning after noon.
    static let afternoonWords: [String] = [
        "pm", "p m", "م", "مساء", "مساءا", "ب ظ", "بعد از ظهر", "jioni", "usiku",
    ]
    /// Named time zones and their offsets in seconds east of UTC.
    static let zones: [String: Int] = [
        "utc": 0, "gmt": 0, "z": 0, "eat": 10_800, "irst": 12_600, "irdt": 16_200, "gst": 14_400,
        "bst": 3_600, "cet": 3_600, "cest": 7_200, "est": -18_000, "edt": -14_400, "pst": -28_800,
        "pdt": -25_200, "ت م": 10_800, "بتوقيت مكة": 10_800, "بتوقيت غرينتش": 0,
    ]

    /// Normalised month name (with or without inner spaces) → (calendar, month 1...12).
    static let months: [String: (Calendar, Int)] = {
        var table: [String: (Calendar, Int)] = [:]
        let groups: [(Calendar, [[String]])] = [
            (.islamic, islamic), (.persian, persian), (.gregorian, gregorian),
        ]
        for (calendar, names) in groups {
            for (offset, spellings) in names.enumerated() {
                for spelling in spellings {
                    let normalized = Normalizer.normalize(spelling)
                    table[normalized] = (calendar, offset + 1)
                    table[normalized.replacingSpaces()] = (calendar, offset + 1)
                }
            }
        }
        return table
    }()

    /// First words of every month name, to skip tokens that cannot start a date.
    static let monthFirstWords: Set<String> = {
        var words = Set<String>()
        for name in months.keys {
            words.insert(String(name.prefix { $0 != " " }))
        }
        return words
    }()

    /// Normalises a list of words into a set.
    static func set(_ words: [String]) -> Set<String> {
        Set(words.map { Normalizer.normalize($0) })
    }

    static let islamicEras = set(islamicEraWords)
    static let fillers = set(fillerWords)
    static let timeLeads = set(timeLeadWords)
    static let morning = set(morningWords)
    static let afternoon = set(afternoonWords)
    static let zoneOffsets: [String: Int] = Dictionary(
        uniqueKeysWithValues: zones.map { (Normalizer.normalize($0.key), $0.value) })
}

extension String {
    /// The string without its spaces.
    fileprivate func replacingSpaces() -> String {
        String(String.UnicodeScalarView(unicodeScalars.filter { $0 != " " }))
    }
}
