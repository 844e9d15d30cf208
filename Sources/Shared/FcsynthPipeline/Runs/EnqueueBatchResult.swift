/// What Redis made of one enqueue batch.
public struct EnqueueBatchResult: Sendable {
    /// The first stage's queue length after the batch.
    public var queueLength: Int
    /// Rows skipped as repeats: their row number, and that of the row they repeat.
    public var duplicates: [(line: Int, original: Int)]
}
