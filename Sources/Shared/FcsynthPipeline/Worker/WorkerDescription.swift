/// What the worker registry says of a worker, for `fcsynth status`.
public struct WorkerDescription: Codable, Sendable, Hashable {
    public var id: String
    public var host: String
    public var pid: Int
    public var concurrency: Int
    /// Seconds since 1970 of the last heartbeat, by the worker's own clock: shown to people
    /// (a host whose clock is off stands out), never compared; leases go by Redis's clock.
    public var lastSeen: Double

    package enum CodingKeys: String, CodingKey {
        case id, host, pid, concurrency
        case lastSeen = "last_seen"
    }
}
