/// A run's near-duplicate filter, stored with its settings so that every worker bands and
/// compares alike: an item whose composition task's estimated Jaccard similarity (over word
/// bigrams) to an earlier item's reaches `threshold` is filtered, naming that item. At 1.0
/// only the same words in the same order count.
public struct NearDuplicatePolicy: Codable, Sendable, Hashable {
    public static let defaultThreshold = 0.8

    public var threshold: Double
    /// The index's banding, fitted to the threshold (`LSHBands.fitting`).
    public var bands: Int
    public var rows: Int

    public init(threshold: Double = Self.defaultThreshold) {
        self.threshold = threshold
        let fitted = LSHBands.fitting(threshold: threshold)
        bands = fitted.bands
        rows = fitted.rows
    }

    package var banding: LSHBands { LSHBands(bands: bands, rows: rows) }

    /// Only identical word sequences: the fingerprint decides, not the estimate.
    package var exactOnly: Bool { threshold >= 1 }
}
