import Foundation
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

/// The sketch against the exact Jaccard similarity of word-bigram sets, computed here directly.
@Suite struct MinHashSignatureTests {
    static func exactJaccard(_ first: String, _ second: String) -> Double {
        func bigrams(_ text: String) -> Set<String> {
            let words = text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
            return words.count > 1 ? Set((1..<words.count).map { words[$0 - 1] + " " + words[$0] }) : Set(words)
        }
        let (a, b) = (bigrams(first), bigrams(second))
        return Double(a.intersection(b).count) / Double(a.union(b).count)
    }

    /// Pairs from one vocabulary with a share of their words redrawn: across many pairs the
    /// estimate's error stays within a few standard errors of √(J(1 − J)/128).
    @Test func estimatesTrackTheExactSimilarity() throws {
        var generator = SplitMix64(seed: 42)
        var worst = 0.0
        var total = 0.0
        let pairs = 300
        for pair in 0..<pairs {
            let words = (0..<30).map { _ in "w\(generator.next() % 400)" }
            var other = words
            for position in 0..<30 where Double(generator.next() % 1000) / 1000 < Double(pair % 10) / 20 {
                other[position] = "v\(generator.next() % 400)"
            }
            let (first, second) = (words.joined(separator: " "), other.joined(separator: " "))
            let exact = Self.exactJaccard(first, second)
            let a = try #require(MinHashSignature(text: first))
            let b = try #require(MinHashSignature(text: second))
            let agreeing = zip(a.stored.dropFirst(8), b.stored.dropFirst(8)).filter { $0 == $1 }.count
            let error = abs(MinHashSignature.estimate(agreeing: agreeing) - exact)
            worst = max(worst, error)
            total += error
        }
        #expect(total / Double(pairs) < 0.04, "mean error \(total / Double(pairs))")
        #expect(worst < 0.2, "worst error \(worst)")
    }

    @Test func normalizationAndFingerprint() throws {
        let a = try #require(MinHashSignature(text: "Book the 7 pm table, please."))
        let b = try #require(MinHashSignature(text: "book   THE 7 PM table please"))
        let c = try #require(MinHashSignature(text: "Book the 8 pm table, please."))
        #expect(a == b && a.stored.count == MinHashSignature.storedCount)
        #expect(a.fingerprint != c.fingerprint)
        #expect(MinHashSignature(text: " ... !") == nil)
    }

    @Test func agreementNeededMatchesTheEstimate() {
        for threshold in stride(from: 0.05, through: 1.0, by: 0.05) {
            let needed = MinHashSignature.agreementNeeded(for: threshold)
            #expect(MinHashSignature.estimate(agreeing: needed) >= threshold - 1e-12)
            if needed > 0 { #expect(MinHashSignature.estimate(agreeing: needed - 1) < threshold) }
        }
        #expect(MinHashSignature.agreementNeeded(for: 1) == 128)
    }

    /// The banding docs/stages.md tabulates, and its S-curve at the default threshold.
    @Test func bandingFitsTheThreshold() {
        let fitted = LSHBands.fitting(threshold: 0.8)
        #expect(fitted == LSHBands(bands: 14, rows: 9))
        #expect(fitted.bands * fitted.rows <= MinHashSignature.hashCount)
        #expect(fitted.candidateProbability(jaccard: 0.9) > 0.99)
        #expect(fitted.candidateProbability(jaccard: 0.5) < 0.05)
        #expect(LSHBands.fitting(threshold: 1) == LSHBands(bands: 1, rows: 128))
        for threshold in [0.5, 0.6, 0.7, 0.8, 0.9, 0.95] {
            let banding = LSHBands.fitting(threshold: threshold)
            #expect(banding.candidateProbability(jaccard: min(1, threshold + 0.1)) > 0.95, "at \(threshold)")
        }
    }
}
