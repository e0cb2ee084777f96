/// A `Duration` as the clocks and system calls newsd passes it to count it: whole nanoseconds
/// for the monotonic clock (`monotonicNanoseconds`), microseconds for sd_notify, seconds as a
/// `Double` for logs and replies, so that no caller does the arithmetic on the components itself.
extension Duration {
    /// Whole nanoseconds, clamped to `0...UInt64.max` (584 years): a setting typed as a huge
    /// number of seconds means "practically never", not a crash.
    public var inNanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return .max }
        let (total, carried) = whole.addingReportingOverflow(UInt64(max(0, attoseconds) / 1_000_000_000))
        return carried ? .max : total
    }

    /// Whole microseconds, clamped to `0...Int64.max`.
    public var inMicroseconds: Int64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000)
        if overflow { return .max }
        let (total, carried) = whole.addingReportingOverflow(max(0, attoseconds) / 1_000_000_000_000)
        return carried ? .max : total
    }

    /// Seconds, fractions included.
    public var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
