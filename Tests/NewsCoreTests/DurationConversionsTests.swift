import NewsCore
import Testing

/// `Duration` taken apart once: nanoseconds for the monotonic clock, microseconds for
/// sd_notify, seconds for logs and replies, clamped rather than overflowing.
@Suite struct DurationConversionsTests {
    @Test func wholeUnits() {
        #expect(Duration.milliseconds(5).inNanoseconds == 5_000_000)
        #expect(Duration.seconds(3_600).inNanoseconds == 3_600_000_000_000)
        #expect(Duration.nanoseconds(1_500).inMicroseconds == 1)
        #expect(Duration.seconds(90).inMicroseconds == 90_000_000)
        #expect(Duration.milliseconds(1_250).inSeconds == 1.25)
    }

    @Test func outOfRangeValuesAreClamped() {
        #expect(Duration.seconds(-1).inNanoseconds == 0)
        #expect(Duration.seconds(-1).inMicroseconds == 0)
        #expect(Duration.seconds(Int64.max).inNanoseconds == UInt64.max)
        #expect(Duration.seconds(Int64.max).inMicroseconds == Int64.max)
        // 584 years and a bit: past UInt64 nanoseconds.
        #expect(Duration.seconds(18_446_744_074).inNanoseconds == UInt64.max)
        #expect(Duration.seconds(18_446_744_073).inNanoseconds == 18_446_744_073_000_000_000)
    }
}
