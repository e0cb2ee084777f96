/// Word lists of the four catalogue languages, kept as data.
///
/// `functionWords` are the discriminative, frequent words that language identification
/// counts (a word shared by two languages of one script, like و or من, is left out);
/// `stopwords` are the broader lists that the boilerplate classifier uses for stopword
/// density. Both are written in their usual spelling; each user folds them its own way.
enum LanguageWordLists {
    /// Arabic words that Persian text rarely uses.
    static let arabicFunctionWords: [String] = [
        "في", "على", "إلى", "الى", "عن", "أن", "إن", "التي", "الذي", "الذين", "هذا", "هذه",
        "ذلك", "كان", "كانت", "قد", "وقد", "لقد", "مع", "حيث", "ثم", "لم", "لن", "أنه", "انه",
        "إنه", "فيه", "عليه", "إليه", "لها", "بها", "منه", "منها", "عنه", "وهو", "وهي", "وفي",
        "ومن", "وعلى", "وأن", "بأن", "يكون", "تكون", "أيضا", "ايضا", "أيضاً", "لكن", "ولكن", "إلا",
        "الا", "خلال", "بعد", "قبل", "حتى", "عند", "منذ", "أي", "كل", "التى", "الذى", "هو", "هي",
        "وذلك", "كما", "فيما", "بينما", "سوف", "تم", "يتم", "إذا", "اذا", "وكان", "وقال",
    ]

    /// Persian words that Arabic text rarely uses.
    static let persianFunctionWords: [String] = [
        "را", "از", "در", "این", "آن", "که", "با", "است", "برای", "می", "شد", "شده", "شود",
        "کرد", "کند", "کرده", "های", "ها", "نیز", "اما", "یک", "خود", "بود", "دارد", "وی",
        "گفت", "باید", "چه", "شما", "آنها", "همچنین", "بر", "هر", "پس", "اگر", "نمی",
        "کنند", "کردند", "خواهد", "نیست", "هستند", "توسط", "اینکه", "همین", "چنین", "درباره",
        "پیش", "بی", "تا", "شدن", "کردن", "داد", "کشور", "گزارش", "به", "یافت", "شدند", "رسید",
        "رسیدند", "رفت", "ندارد", "ندارند", "نشد", "درصد", "افزایش", "کاهش", "برگزاری",
        "میلیارد", "میلیون", "تیم", "دیدار", "شهرستان", "استان",
    ]

    /// English words that Swahili text rarely uses.
    static let englishFunctionWords: [String] = [
        "the", "of", "and", "to", "in", "is", "that", "for", "on", "was", "with", "he", "it",
        "as", "said", "by", "at", "from", "has", "have", "be", "are", "his", "an", "will", "but",
        "not", "this", "which", "they", "had", "been", "were", "would", "their", "its", "who",
        "more", "also", "after", "there", "or", "about", "than", "she", "her", "into", "over",
        "could", "what", "when", "if", "we", "you", "our", "can", "all", "up", "out", "new", "a",
        "says", "how", "why", "no", "my", "do", "does", "did", "should", "may", "must", "being",
        "these", "those", "some", "any", "many", "much", "such", "only", "other", "first",
        "last", "year", "years", "time", "people", "before", "between", "under", "against",
    ]

    /// Swahili words that English text rarely uses.
    static let swahiliFunctionWords: [String] = [
        "ya", "na", "wa", "kwa", "ni", "za", "katika", "la", "cha", "kuwa", "hiyo", "huo", "hilo",
        "hizo", "pia", "kama", "lakini", "ili", "baada", "hadi", "zaidi", "kwamba", "yake",
        "vya", "hii", "hayo", "wake", "wao", "ambao", "ambayo", "amesema", "alisema", "hata",
        "sana", "bado", "au", "bila", "tena", "kisha", "kutoka", "juu", "kati", "kila", "huku",
        "pamoja", "ndani", "nchini", "hivyo", "yao", "wengi", "wote", "kabla", "mpaka", "sasa",
        "kuhusu", "dhidi", "kupitia", "wakati", "kwenye", "hakuna", "kuna", "mwaka", "siku",
        "huyo", "ambapo", "ambaye", "mkuu", "timu", "serikali", "watu", "mchezo", "klabu",
    ]

    /// Frequent words per language for the boilerplate classifier's stopword density.
    static let stopwords: [String: [String]] = [
        "en": englishFunctionWords + [
            "i", "me", "him", "them", "us", "your", "so", "then", "just", "now", "here", "very",
            "even", "most", "where", "while", "because", "through", "during", "without", "again",
            "same", "both", "each", "few", "own", "off", "down", "until", "since", "against",
            "among", "told", "one", "two", "three", "still", "back", "well", "way", "like", "get",
            "made", "make", "take", "took", "going", "next", "week", "s",
        ],
        "sw": swahiliFunctionWords + [
            "sisi", "wewe", "mimi", "yeye", "tu", "hapa", "nje", "hicho", "hiki", "zao", "yetu",
            "wetu", "yote", "zote", "leo", "jana", "kesho", "nini", "nani", "wapi", "vipi",
            "mbele", "nyuma", "chini", "karibu", "mbali", "kutokana", "ingawa", "hivi", "vile",
            "ile", "yule", "huu", "ule", "wala", "iwapo", "endapo", "ikiwa", "pale", "hapo",
            "mno", "nyingi", "kubwa", "moja", "mbili", "tatu", "ndio", "ndiyo", "si", "sio",
            "ana", "yupo", "wapo", "ipo", "kupata", "kufanya", "mwa", "alikuwa", "walikuwa",
            "imekuwa", "amekuwa", "itakuwa", "wamesema", "anaweza", "wanaweza", "inaweza",
        ],
        "ar": arabicFunctionWords + [
            "من", "و", "ما", "لا", "بين", "أو", "او", "هم", "نحن", "له", "لهم", "به", "قال",
            "يا", "فقط", "حول", "ضد", "نحو", "لدى", "دون", "عبر", "أمام", "تحت", "فوق", "عدة",
            "بعض", "جميع", "كافة", "مثل", "كذلك", "اليوم", "أمس", "وأضاف", "وأكد", "وأشار",
            "الذي", "أكثر", "أول", "وزير", "المملكة", "العام",
        ],
        "fa": persianFunctionWords + [
            "و", "به", "یا", "هم", "ما", "او", "من", "بین", "دو", "سه", "چون", "زیرا", "مانند",
            "بدون", "نه", "هیچ", "همه", "دیگر", "کنیم", "داشت", "داشته", "دارند", "گرفت",
            "گرفته", "خواهند", "هست", "بودند", "ای", "آیا", "روی", "سوی", "طی", "ضمن", "همان",
            "آنچه", "آنکه", "وقتی", "هنگام", "زمانی", "سال", "امروز", "روز", "افزود", "بیان",
        ],
    ]
}
