/// Site-chrome phrases per language, kept as data.
///
/// Each phrase is written as a person would type it and normalised once at start-up, so
/// Arabic/Persian letter variants, hamza forms, ZWNJ and case never defeat a match. The
/// language tag documents the phrase; every phrase is tried on every line, because chrome
/// is often in another language than the article ("Get News Fast" on a Persian site).
enum BoilerplatePatterns {
    /// How a phrase must sit in a normalised line.
    enum Match: Sendable {
        /// The whole line is the phrase.
        case line
        /// The line starts with the phrase and has at most this many tokens.
        case prefix(maxTokens: Int)
        /// The line contains the phrase (on token boundaries) and has at most this many tokens.
        case contains(maxTokens: Int)
    }

    /// One pattern: language tag, match kind, normalised phrase (text and UTF-8), reason.
    struct Pattern: Sendable {
        let language: String
        let match: Match
        let phrase: String
        let reason: String
        let bytes: [UInt8]
        /// FNV-1a of the phrase's first token: a line without that token cannot match.
        let firstToken: UInt64

        init(language: String, match: Match, phrase: String, reason: String) {
            self.language = language
            self.match = match
            self.phrase = Normalizer.normalize(phrase)
            self.reason = reason
            self.bytes = Array(self.phrase.utf8)
            self.firstToken = StableHash.fnv1a64(self.bytes.prefix { $0 != 0x20 })
        }
    }

    /// Whole-line phrases: navigation, search, sharing, comments, archives.
    static let lines: [(String, String, [String])] = [
        (
            "en", "navigation",
            [
                "search", "search for", "date archive", "archive", "archives", "get news fast",
                "read more", "continue reading", "read full story", "share", "share this",
                "share this article", "share on facebook", "share on twitter", "tweet", "print",
                "email", "comments", "comment", "leave a comment", "leave a reply", "post a comment",
                "related", "related articles", "related posts", "related news", "related stories",
                "more news", "most read", "most popular", "latest news", "trending", "tags",
                "advertisement", "sponsored", "subscribe", "sign up", "log in", "login", "sign in",
                "register", "menu", "home", "back to top", "next", "previous", "next article",
                "previous article", "top stories", "follow us", "newsletter", "cookie policy",
                "privacy policy", "terms of use", "contact us", "about us", "skip to content",
                "skip to main content", "loading", "click here", "watch", "video", "photo",
                "photos", "gallery", "listen", "cancel reply", "reply", "submit", "send", "your name",
                "your email", "name", "website", "captcha", "all rights reserved", "copyright",
                "facebook", "twitter", "whatsapp", "telegram", "instagram", "linkedin", "youtube",
                "pinterest", "reddit", "rss", "print this page", "share via email",
            ]
        ),
        (
            "sw", "navigation",
            [
                "tafuta", "soma zaidi", "soma pia", "habari zaidi", "habari zinazohusiana",
                "shiriki", "shirikisha", "maoni", "toa maoni", "acha maoni", "tuma", "nyumbani",
                "ingia", "jiandikishe", "tangazo", "matangazo", "habari mpya", "habari kuu",
                "sikiliza", "rudi juu", "ukurasa wa mbele", "endelea kusoma", "soma habari zaidi",
                "habari zilizopita", "habari zinazofuata",
            ]
        ),
        (
            "ar", "navigation",
            [
                "بحث", "ابحث", "اقرأ المزيد", "اقرأ أيضا", "المزيد", "شارك", "مشاركة", "شارك الخبر",
                "تعليقات", "التعليقات", "أضف تعليق", "اضف تعليقك", "طباعة", "إرسال", "ارسل",
                "الرئيسية", "القائمة", "أخبار ذات صلة", "مواضيع ذات صلة", "الأكثر قراءة",
                "الأكثر مشاهدة", "آخر الأخبار", "تابعونا", "تابعنا", "اشترك", "إعلان",
                "العودة للأعلى", "الصفحة الرئيسية", "كلمات مفتاحية", "الوسوم", "أرشيف",
                "تسجيل الدخول", "فيديو", "صور", "اقرأ ايضا", "أخبار متعلقة",
            ]
        ),
        (
            "fa", "navigation",
            [
                "جستجو", "ادامه مطلب", "ادامه خبر", "بیشتر بخوانید", "اشتراک گذاری", "اشتراک",
                "نظرات", "ارسال نظر", "دیدگاهتان را بنویسید", "دیدگاه ها", "چاپ", "ارسال", "خانه",
                "صفحه اصلی", "اخبار مرتبط", "مطالب مرتبط", "پربازدیدترین", "پربیننده ترین",
                "آخرین اخبار", "برچسب ها", "کلمات کلیدی", "دکمه بازگشت به بالا", "بازگشت به بالا",
                "تبلیغات", "عضویت", "ورود", "آرشیو", "ویدیو", "عکس", "لینک کوتاه", "نظر شما",
                "پاسخ دادن", "لغو پاسخ", "آرشیو تاریخ",
            ]
        ),
    ]

    /// Phrases that start a short chrome line: credits, tags, "read also" teasers.
    static let prefixes: [(String, String, Int, [String])] = [
        (
            "en", "credit or teaser", 12,
            [
                "share on", "follow us on", "read more", "read also", "related", "tags", "tagged",
                "filed under", "posted in", "posted by", "photo", "image", "source", "copyright",
                "published", "updated", "last updated", "see also", "click here", "subscribe to",
            ]
        ),
        (
            "sw", "credit or teaser", 12,
            [
                "soma pia", "soma zaidi", "chanzo", "picha", "imehaririwa", "unaweza kusoma",
                "unaweza pia kusoma",
            ]
        ),
        (
            "ar", "credit or teaser", 12,
            [
                "اقرأ أيضا", "اقرأ ايضا", "المصدر", "مصدر الخبر", "الوسوم", "تاريخ النشر", "آخر تحديث",
                "سمات",
                "كلمات دلالية",
            ]
        ),
        (
            "fa", "credit or teaser", 12,
            [
                "منبع", "ارسال از", "بیشتر بخوانید", "همچنین بخوانید", "برچسب ها", "کد خبر",
                "لینک کوتاه", "تاریخ انتشار", "زمان انتشار", "انتهای پیام", "انتهای‌پیام", "انتهای متن",
            ]
        ),
    ]

    /// Phrases that mark a whole line as chrome wherever they occur in it: comment forms,
    /// rights notices, republication notes.
    static let fragments: [(String, String, Int, [String])] = [
        (
            "en", "comment form or notice", 40,
            [
                "your email address will not be published", "required fields are marked",
                "all rights reserved", "we use cookies", "subscribe to our newsletter",
                "click here to", "sign up for our",
            ]
        ),
        (
            "sw", "comment form or notice", 40,
            ["barua pepe yako haitachapishwa", "haki zote zimehifadhiwa"]
        ),
        (
            "ar", "comment form or notice", 40,
            ["لن يتم نشر عنوان بريدك الإلكتروني", "جميع الحقوق محفوظة", "الحقول الإلزامية"]
        ),
        (
            "fa", "comment form or notice", 60,
            [
                "ایمیل شما منتشر نخواهد شد", "کلیه حقوق", "تمامی حقوق", "بازنشر شده است",
                "بخش های موردنیاز علامت گذاری شده اند",
            ]
        ),
    ]

    /// Every pattern, normalised.
    static let all: [Pattern] = {
        var out: [Pattern] = []
        for (language, reason, phrases) in lines {
            for phrase in phrases {
                out.append(Pattern(language: language, match: .line, phrase: phrase, reason: reason))
            }
        }
        for (language, reason, limit, phrases) in prefixes {
            for phrase in phrases {
                out.append(
                    Pattern(
                        language: language, match: .prefix(maxTokens: limit), phrase: phrase, reason: reason))
            }
        }
        for (language, reason, limit, phrases) in fragments {
            for phrase in phrases {
                out.append(
                    Pattern(
                        language: language, match: .contains(maxTokens: limit), phrase: phrase, reason: reason
                    ))
            }
        }
        return out
    }()

    /// Whole-line phrases by the FNV-1a hash of their normalised bytes.
    static let wholeLines: [UInt64: Pattern] = {
        var table: [UInt64: Pattern] = [:]
        for pattern in all {
            guard case .line = pattern.match else { continue }
            let key = StableHash.fnv1a64(pattern.bytes)
            if table[key] == nil { table[key] = pattern }
        }
        return table
    }()

    /// The largest token count any prefix or fragment pattern accepts.
    static let maxTokens: Int = all.reduce(0) { result, pattern in
        switch pattern.match {
        case .line: return result
        case .prefix(let limit), .contains(let limit): return max(result, limit)
        }
    }

    /// The first pattern matching a normalised line (UTF-8 bytes, its FNV-1a key and the
    /// FNV-1a hashes of its tokens), if any.
    static func match(_ line: ArraySlice<UInt8>, key: UInt64, tokens: [UInt64]) -> Pattern? {
        if let pattern = wholeLines[key], pattern.bytes.elementsEqual(line) { return pattern }
        let tokenCount = tokens.count
        guard tokenCount <= maxTokens, let first = tokens.first else { return nil }
        for pattern in all {
            switch pattern.match {
            case .line:
                continue
            case .prefix(let limit):
                if tokenCount <= limit, first == pattern.firstToken, hasTokenPrefix(line, pattern.bytes) {
                    return pattern
                }
            case .contains(let limit):
                if tokenCount <= limit, tokens.contains(pattern.firstToken),
                    containsTokens(line, pattern.bytes)
                {
                    return pattern
                }
            }
        }
        return nil
    }

    private static func hasTokenPrefix(_ text: ArraySlice<UInt8>, _ phrase: [UInt8]) -> Bool {
        guard text.count >= phrase.count, text.prefix(phrase.count).elementsEqual(phrase) else {
            return false
        }
        return text.count == phrase.count || text[text.startIndex + phrase.count] == 0x20
    }

    private static func containsTokens(_ text: ArraySlice<UInt8>, _ phrase: [UInt8]) -> Bool {
        guard let first = phrase.first, text.count >= phrase.count else { return false }
        var index = text.startIndex
        let last = text.endIndex - phrase.count
        while index <= last {
            if text[index] == first, index == text.startIndex || text[index - 1] == 0x20,
                text[index..<(index + phrase.count)].elementsEqual(phrase),
                index + phrase.count == text.endIndex || text[index + phrase.count] == 0x20
            {
                return true
            }
            index += 1
        }
        return false
    }
}
