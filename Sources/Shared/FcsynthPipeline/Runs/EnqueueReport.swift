/// What an enqueue did.
public struct EnqueueReport: Sendable, Hashable {
    /// Rows a previous, interrupted enqueue of this run had already taken.
    public var resumedAfter: Int = 0
    public var enqueued: Int = 0
    /// Bad rows skipped.
    public var rejected: Int = 0
    /// Rows skipped because the run already holds their seed chat.
    public var duplicates: Int = 0
}
