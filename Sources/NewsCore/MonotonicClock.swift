import Glibc

/// The monotonic clock, in nanoseconds: what the engine schedules with and what request and
/// pass timings are measured on (never the wall clock, which can jump).
public func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}
