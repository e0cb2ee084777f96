import Testing

@testable import TextAnalysis

/// The daemon's warm-up text must reach the lazily built tables it is there to build: its
/// dates parse (the calendars) and its lines are analysed as text.
@Suite struct AnalysisWarmUpTests {
    @Test func theWarmUpTextParsesItsDateAndHasABody() {
        let analysis = TextAnalyzer.analyze(TextAnalyzer.warmUpText)
        #expect(analysis.published != nil)
        #expect(!analysis.fingerprintText.isEmpty)
        #expect(DateParser.dates(in: "۱۴ مهر ۱۴۰۳", dayFirst: true).isEmpty == false)
        #expect(DateParser.dates(in: "١٢ رمضان ١٤٤٥ هـ", dayFirst: true).isEmpty == false)
    }
}
