import FcsynthCore
import Foundation

/// A valid input row ready for the first queue, with the fingerprint of its seed chat that
/// tells a repeated row from a new one.
public struct EnqueueRow: Sendable, Hashable {
    public var line: Int
    public var fingerprint: UInt64
    public var entry: Data

    public init(line: Int, seed: String, entry: Data) {
        self.line = line
        self.fingerprint = StableHash.of(seed)
        self.entry = entry
    }

    /// The hash that holds this fingerprint: its top 16 bits, so that each of the run's
    /// fingerprint hashes stays small enough for Redis's compact encoding.
    package var bucket: String {
        let top = String(fingerprint >> 48, radix: 16)
        return String(repeating: "0", count: 4 - top.count) + top
    }

    /// The other 48 bits, as 6 bytes.
    package var field: [UInt8] {
        (0..<6).map { UInt8(truncatingIfNeeded: fingerprint >> (8 * (5 - $0))) }
    }
}
