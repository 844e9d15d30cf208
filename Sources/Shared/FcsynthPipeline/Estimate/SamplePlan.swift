/// Which of a file's valid rows the estimate runs, and in which batch: the middle row of each
/// of `size` equal stretches of the file, so that an ordered file (by topic, by length) gives a
/// sample of all of it; dealt to the batches in turn, so that each batch spans the file too.
public struct SamplePlan: Sendable, Hashable {
    public let validRows: Int
    /// Rows sampled: the sample asked for, or every row of a smaller file.
    public let size: Int
    /// Independent batches, each its own run: at most one per sampled row.
    public let batches: Int

    public init(validRows: Int, sample: Int, batches: Int) {
        self.validRows = max(0, validRows)
        size = min(max(0, sample), self.validRows)
        self.batches = size == 0 ? 0 : min(max(1, batches), size)
    }

    /// The 0-based valid-row ordinal of the `pick`-th sampled row (0 ..< size), increasing.
    public func ordinal(ofPick pick: Int) -> Int {
        (2 * pick + 1) * validRows / (2 * size)
    }

    /// The batch (0 ..< batches) the `pick`-th sampled row goes to.
    public func batch(ofPick pick: Int) -> Int {
        pick % batches
    }

    /// Valid rows per sampled row.
    public var stride: Double { size == 0 ? 0 : Double(validRows) / Double(size) }
}
