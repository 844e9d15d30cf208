/// What one sweep of a run found.
public struct RecoveryReport: Sendable, Hashable {
    public var workers: Int
    public var requeued: Int
    public var dead: Int
}
