import Foundation

/// How a signature's 128 minimums are cut into `bands` bands of `rows` rows for the index:
/// two texts become candidates when they agree on every row of some band, which for Jaccard
/// similarity J happens with probability 1 − (1 − J^rows)^bands, an S-curve in J.
package struct LSHBands: Codable, Sendable, Hashable {
    package var bands: Int
    package var rows: Int

    package init(bands: Int, rows: Int) {
        self.bands = bands
        self.rows = rows
    }

    /// The chance that two texts of Jaccard similarity `jaccard` share a band.
    package func candidateProbability(jaccard: Double) -> Double {
        1 - pow(1 - pow(jaccard, Double(rows)), Double(bands))
    }

    /// The bands × rows (at most 128 minimums) that best fit `threshold`: least of 0.1 × the
    /// area under the curve below the threshold (pairs made candidates that the estimate then
    /// discards, a read each) plus 0.9 × the area above it left uncovered (near-duplicates never
    /// compared, which the filter misses). Missing a duplicate costs more than a discarded read.
    package static func fitting(threshold: Double) -> LSHBands {
        var best = LSHBands(bands: 1, rows: MinHashSignature.hashCount)
        var bestCost = Double.infinity
        for rows in 1...MinHashSignature.hashCount {
            for bands in 1...(MinHashSignature.hashCount / rows) {
                let candidate = LSHBands(bands: bands, rows: rows)
                let falseArea = candidate.area(from: 0, to: threshold) { $0 }
                let missedArea = candidate.area(from: threshold, to: 1) { 1 - $0 }
                let cost = 0.1 * falseArea + 0.9 * missedArea
                if cost < bestCost - 1e-12 { (best, bestCost) = (candidate, cost) }
            }
        }
        return best
    }

    /// The midpoint rule over 100 steps: plenty for comparing curves.
    private func area(from low: Double, to high: Double, _ shape: (Double) -> Double) -> Double {
        guard high > low else { return 0 }
        let steps = 100
        let width = (high - low) / Double(steps)
        return (0..<steps).reduce(0) { sum, step in
            sum + shape(candidateProbability(jaccard: low + (Double(step) + 0.5) * width)) * width
        }
    }
}
