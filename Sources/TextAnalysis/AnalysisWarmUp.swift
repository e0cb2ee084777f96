import Foundation

extension TextAnalyzer {
    /// A short article in the four sample languages with a Persian solar and a Hijri date:
    /// analysing it touches every lazily built table.
    static let warmUpText = """
        Habari za leo: mvua kubwa yanyesha Dar es Salaam
        Published 3 March 2024
        ۱۴ مهر ۱۴۰۳
        ١٢ رمضان ١٤٤٥ هـ
        Serikali imesema kwamba mvua itaendelea kunyesha wiki hii katika maeneo mengi ya pwani.
        The government said the rain would continue this week in many coastal areas of the country.
        قالت الحكومة إن الأمطار ستستمر هذا الأسبوع في العديد من المناطق الساحلية في البلاد.
        دولت اعلام کرد که بارندگی این هفته در بسیاری از مناطق ساحلی کشور ادامه خواهد داشت.
        """

    /// Builds the analysis's lazily initialised tables (normalisation, language word lists,
    /// chrome patterns, the Persian and Islamic calendars) now. The daemon calls it after
    /// READY: otherwise the first article after a start pays for them (about 0.4 s).
    public static func warmUp() {
        _ = analyze(warmUpText)
    }
}
