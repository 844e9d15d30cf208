/// FNV-1a over bytes: unlike `Hasher`, the same on every process and every run, so that
/// choices derived from an item (its composition mode, simulated content) are reproducible.
public enum StableHash {
    public static func fnv1a<S: Sequence>(_ bytes: S) -> UInt64 where S.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    public static func of(_ string: String) -> UInt64 {
        fnv1a(string.utf8)
    }
}
