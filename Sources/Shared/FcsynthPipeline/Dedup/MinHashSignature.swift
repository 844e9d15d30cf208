import FcsynthCore
import Foundation

/// A text's MinHash sketch: for each of 128 hash functions, the least hash of the text's word
/// bigrams. Two sketches agree at a position with probability equal to the Jaccard similarity
/// of the two bigram sets, so the share of positions that agree estimates it.
///
/// Word bigrams, not single words: a task that names other places, people or steps in the same
/// template sentence shares most of its words but few of its bigrams around the changes.
package struct MinHashSignature: Sendable, Hashable {
    /// With 128 positions the estimate's standard error is √(J(1 − J)/128): 0.035 at J = 0.8.
    package static let hashCount = 128
    /// Bytes of a stored signature: the fingerprint, then one byte per position.
    package static let storedCount = 8 + hashCount
    /// The chance that two different minimums agree in the one byte kept of each (`stored`).
    package static let chanceAgreement = 1.0 / 256

    package let minimums: [UInt64]
    /// FNV-1a of the normalized words: equal for the same words in the same order only.
    package let fingerprint: UInt64

    /// Nil for a text with no word in it: there is nothing to compare.
    package init?(text: String) {
        let words = Self.words(text)
        guard !words.isEmpty else { return nil }
        self.init(shingles: Self.shingles(words), canonical: words.joined(separator: " "))
    }

    /// The sketch of a set of shingles; `canonical`, the text the fingerprint is taken of, is
    /// the same for the same set only.
    package init(shingles: Set<String>, canonical: String) {
        fingerprint = StableHash.of(canonical)
        let hashes = shingles.map(StableHash.of)
        minimums = Self.seeds.map { seed in
            hashes.reduce(UInt64.max) { least, shingle in min(least, Self.mix(shingle ^ seed)) }
        }
    }

    /// Lowercased runs of letters and digits: punctuation, case and spacing do not make texts differ.
    package static func words(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    /// Adjacent word pairs; a one-word text is its own shingle.
    package static func shingles(_ words: [String]) -> Set<String> {
        guard words.count > 1 else { return Set(words) }
        return Set(zip(words, words.dropFirst()).map { "\($0) \($1)" })
    }

    /// What the index keeps: the fingerprint big-endian, then the low byte of each minimum
    /// (uniform, unlike a minimum's high bits), 136 bytes in all.
    package var stored: Data {
        var bytes = Data(capacity: Self.storedCount)
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: fingerprint >> shift))
        }
        for minimum in minimums { bytes.append(UInt8(truncatingIfNeeded: minimum)) }
        return bytes
    }

    /// One field per band, `BAND:HASH`: the band's number and 48 bits of FNV-1a over its rows'
    /// minimums. Two texts share a field when they agree on every row of that band.
    package func bandFields(_ bands: LSHBands) -> [String] {
        (0..<bands.bands).map { band in
            var hash = StableHash.fnvOffsetBasis
            for minimum in minimums[(band * bands.rows)..<((band + 1) * bands.rows)] {
                for shift in stride(from: 0, to: 64, by: 8) {
                    hash ^= (minimum >> UInt64(shift)) & 0xFF
                    hash = hash &* StableHash.fnvPrime
                }
            }
            let digits = String(hash >> 16, radix: 16)
            return "\(band):" + String(repeating: "0", count: 12 - digits.count) + digits
        }
    }

    /// The estimated Jaccard similarity for `agreeing` of the 128 stored bytes, corrected for
    /// the bytes that agree by chance.
    package static func estimate(agreeing: Int) -> Double {
        let share = Double(agreeing) / Double(hashCount)
        return max(0, (share - chanceAgreement) / (1 - chanceAgreement))
    }

    /// The fewest agreeing bytes whose estimate reaches `threshold`: the script compares counts,
    /// not floating-point estimates.
    package static func agreementNeeded(for threshold: Double) -> Int {
        let share = threshold * (1 - chanceAgreement) + chanceAgreement
        return min(hashCount, Int((share * Double(hashCount) - 1e-9).rounded(.up)))
    }

    /// The hash functions: one SplitMix64 finalizer, each with its own fixed key.
    private static let seeds: [UInt64] = {
        var generator = SplitMix64(seed: 0x6D69_6E68_6173_6831)
        return (0..<hashCount).map { _ in generator.next() }
    }()

    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
