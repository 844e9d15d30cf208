import Foundation

/// A figure measured once per independent batch: the batches' mean, and a two-sided Student-t
/// interval at `RunEstimate.confidence` around it (mean ± t · s / √n over the n batches), or no
/// interval from a single batch. Every figure estimated is a count, a time or a cost, so the
/// low end is clipped at 0.
public struct EstimateInterval: Codable, Sendable, Hashable {
    public var mean: Double
    public var low: Double?
    public var high: Double?
    /// The batches it was measured in.
    public var batches: Int

    public init(mean: Double, low: Double?, high: Double?, batches: Int) {
        self.mean = mean
        self.low = low
        self.high = high
        self.batches = batches
    }

    /// Nil without values.
    init?(of values: [Double]) {
        guard !values.isEmpty else { return nil }
        let count = Double(values.count)
        let mean = values.reduce(0, +) / count
        self.mean = mean
        batches = values.count
        guard values.count >= 2 else { return }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (count - 1)
        let half = StudentT.quantile95(degreesOfFreedom: values.count - 1) * (variance / count).squareRoot()
        low = max(0, mean - half)
        high = mean + half
    }

    /// The same figure for `factor` times as much (per row to the whole file).
    func scaled(by factor: Double) -> EstimateInterval {
        EstimateInterval(
            mean: mean * factor, low: low.map { $0 * factor }, high: high.map { $0 * factor }, batches: batches)
    }
}
