import FcsynthCore

/// A running FNV-1a digest of the input bytes an enqueue has consumed, stored with its
/// cursor: a resume recomputes it over the same prefix and refuses a file that changed.
/// Not cryptographic; it guards against edits and swapped files, not against an adversary.
package struct InputDigest: Sendable, Hashable {
    package private(set) var value: UInt64

    package init(value: UInt64 = StableHash.fnvOffsetBasis) {
        self.value = value
    }

    package mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var hash = value
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* StableHash.fnvPrime
        }
        value = hash
    }

    /// How the digest is kept in the run's meta hash: 16 hex digits.
    package var text: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    package init?(text: String) {
        guard text.count == 16, let value = UInt64(text, radix: 16) else { return nil }
        self.value = value
    }
}
