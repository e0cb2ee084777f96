import ControlServer
import Testing

/// The control socket's options as newsd reads them.
@Suite struct ControlSettingsTests {
    @Test func durationsParse() {
        #expect(ControlSettings.parseDuration("7d") == .seconds(604_800))
        #expect(ControlSettings.parseDuration("90") == .seconds(90))
        #expect(ControlSettings.parseDuration("10m") == .seconds(600))
        #expect(ControlSettings.parseDuration("-1s") == nil)
        #expect(ControlSettings.parseDuration("9999999999999999999d") == nil)
    }
}
