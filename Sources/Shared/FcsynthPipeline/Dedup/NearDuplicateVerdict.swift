/// What the index said of an item's composition task, or of its function set.
package enum NearDuplicateVerdict: Sendable, Hashable {
    /// No earlier item is near it; it is in the index now (or was already: a retried task).
    case unique
    /// No earlier item is near it, but the index is at its capacity and did not take it.
    case unindexed
    /// It repeats the earlier item `original`, with this estimated Jaccard similarity; for a
    /// composition task, also the two items' scenarios' (nil when either has no words).
    case duplicate(original: String, similarity: Double, scenarioSimilarity: Double?)
}
