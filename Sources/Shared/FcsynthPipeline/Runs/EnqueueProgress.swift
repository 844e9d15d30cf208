/// Progress for a terminal display.
public struct EnqueueProgress: Sendable {
    public var rows: Int
    public var enqueued: Int
    public var rejected: Int
    public var bytesRead: Int64
    public var totalBytes: Int64?
    public var waitingForWorkers: Bool
}
