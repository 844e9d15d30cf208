/// A small seedable generator: the simulator's content and the tests' choices repeat exactly
/// for the same seed, and backoff jitter needs nothing stronger.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// A draw in [0, 1), from the top 53 bits: FNV's high bits barely differ between seeds
    /// like the hashes of "17" and "18", and one SplitMix64 step mixes them.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) / Double(UInt64(1) << 53)
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
