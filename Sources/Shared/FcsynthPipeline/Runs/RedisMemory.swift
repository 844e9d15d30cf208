/// Redis's memory as `INFO memory` gives it, for `status`: a Redis past its `maxmemory` that
/// evicts nothing refuses the claims (and enqueues) of every run until there is room.
public struct RedisMemory: Codable, Sendable, Hashable {
    /// `used_memory`, in bytes.
    public var used: Int
    /// `maxmemory` in bytes; 0: no limit.
    public var limit: Int
    /// `maxmemory_policy`.
    public var policy: String

    package enum CodingKeys: String, CodingKey {
        case used, limit, policy, full
    }

    public init(used: Int, limit: Int, policy: String) {
        self.used = used
        self.limit = limit
        self.policy = policy
    }

    /// The fields of an `INFO memory` reply; nil when it lacks `used_memory` (a server that
    /// refuses INFO answers an error instead, and status goes without).
    public init?(info: String) {
        var fields: [Substring: Substring] = [:]
        for line in info.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon]] = line[line.index(after: colon)...]
        }
        guard let used = fields["used_memory"].flatMap({ Int($0) }) else { return nil }
        self.init(
            used: used, limit: fields["maxmemory"].flatMap { Int($0) } ?? 0,
            policy: fields["maxmemory_policy"].map(String.init) ?? "")
    }

    /// At or past the limit under a policy that evicts nothing: writes that add are refused.
    /// (Redis leaves replication and AOF buffers out of the comparison, so this may say full
    /// a little early; never late.)
    public var isFull: Bool { limit > 0 && used >= limit && policy == "noeviction" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        used = try container.decode(Int.self, forKey: .used)
        limit = try container.decode(Int.self, forKey: .limit)
        policy = try container.decode(String.self, forKey: .policy)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(used, forKey: .used)
        try container.encode(limit, forKey: .limit)
        try container.encode(policy, forKey: .policy)
        try container.encode(isFull, forKey: .full)
    }
}
