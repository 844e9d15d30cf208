/// A run's near-duplicate filter, stored with its settings so that every worker bands and
/// compares alike: an item whose composition task's estimated Jaccard similarity (over word
/// bigrams) to an earlier item's reaches `threshold` is filtered, naming that item. At 1.0
/// only the same words in the same order count.
public struct NearDuplicatePolicy: Codable, Sendable, Hashable {
    public static let defaultThreshold = 0.8
    /// About 850 MB of Redis at the measured 3.4 kB an item for both indexes, the composition
    /// tasks' (with their scenarios) and the function sets' (docs/performance.md).
    public static let defaultCapacity = 250_000

    public var threshold: Double
    /// The index's banding, fitted to the threshold (`LSHBands.fitting`).
    public var bands: Int
    public var rows: Int
    /// Items each index holds at most: past it, items are still checked against those it holds
    /// but not added, so that its memory is bounded whatever the run's size.
    public var capacity: Int

    public init(threshold: Double = Self.defaultThreshold, capacity: Int = Self.defaultCapacity) {
        self.threshold = threshold
        self.capacity = capacity
        let fitted = LSHBands.fitting(threshold: threshold)
        bands = fitted.bands
        rows = fitted.rows
    }

    package var banding: LSHBands { LSHBands(bands: bands, rows: rows) }

    /// Only identical word sequences: the fingerprint decides, not the estimate.
    package var exactOnly: Bool { threshold >= 1 }
}
