/// FNV-1a over bytes: unlike `Hasher`, the same on every process and every run, so that
/// choices derived from an item (its composition mode, simulated content) are reproducible.
public enum StableHash {
    public static let fnvOffsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    public static let fnvPrime: UInt64 = 0x0000_0100_0000_01B3

    public static func fnv1a<S: Sequence>(_ bytes: S) -> UInt64 where S.Element == UInt8 {
        var hash = fnvOffsetBasis
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* fnvPrime
        }
        return hash
    }

    public static func of(_ string: String) -> UInt64 {
        fnv1a(string.utf8)
    }
}
