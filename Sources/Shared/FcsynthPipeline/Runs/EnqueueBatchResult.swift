/// What Redis made of one enqueue batch.
public enum EnqueueBatchResult: Sendable {
    /// The batch went in; `queueLength` is the first queue's length after it, and
    /// `duplicates` the rows skipped as repeats, with the row each repeats.
    case applied(queueLength: Int, duplicates: [(line: Int, original: Int)])
    /// Another enqueue of the same input moved the cursor first; nothing was written.
    case cursorMoved(EnqueueCursor)
    /// The run was bound to another input meanwhile; nothing was written.
    case otherInput(String)
    /// The run takes no rows now (cancelled, closed, or purged); nothing was written.
    case notTakingRows(state: String)
}
