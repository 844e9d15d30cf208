/// How enqueue reads its input and paces itself.
public struct EnqueueOptions: Sendable {
    public var inputKey: String = "chat"
    public var maxRowBytes: Int = 1 << 20
    /// Rows per Redis transaction.
    public var batchSize: Int = 1_000
    /// Enqueue waits while the first stage's queue is longer than this.
    public var highWaterMark: Int = 200_000
    /// Seconds enqueue rides out a Redis outage before it gives up (a rerun resumes anyway).
    public var outageTolerance: Double = 120

    public init() {}
}
