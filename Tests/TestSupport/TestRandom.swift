import Foundation

/// A small deterministic generator for test data: Swift's default generator cannot be seeded,
/// so a failure it drove could not be replayed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Seeds for tests that draw random data, printed so that a failing run can be replayed.
public enum TestSeed {
    /// The environment variable that overrides every seed drawn through `TestSeed`.
    public static let variable = "NEWSD_TEST_SEED"

    /// `NEWSD_TEST_SEED` when it is set, else `fixed`, else a fresh seed. The seed is printed with
    /// `label` either way: set the variable to it (and `--filter` the test) to replay a failure.
    public static func make(_ label: String, fixed: UInt64? = nil) -> UInt64 {
        let override = ProcessInfo.processInfo.environment[variable].flatMap { UInt64($0) }
        let seed = override ?? fixed ?? UInt64.random(in: 0...UInt64.max)
        print("\(label): seed \(seed) (replay with \(variable)=\(seed))")
        return seed
    }

    /// A generator seeded by `make(label, fixed:)`, and its seed for failure messages.
    public static func generator(_ label: String, fixed: UInt64? = nil) -> (SplitMix64, seed: UInt64) {
        let seed = make(label, fixed: fixed)
        return (SplitMix64(seed: seed), seed)
    }
}
