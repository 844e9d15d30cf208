/// How a run uses the response cache shared by the namespace's runs (`--cache`): answers it
/// stores live `timeToLive` seconds, and its stores keep the cache within `maxBytes` of answers.
public struct ResponseCacheSettings: Codable, Sendable, Hashable {
    /// A day: long enough for a rerun over the same rows, short enough that an endpoint's
    /// changed model is not answered for by yesterday's for long.
    public static let defaultTimeToLive = 86_400
    /// 256 MiB of stored answers, and Redis's own bytes on top: about 240 per answer
    /// (docs/performance.md).
    public static let defaultMaxBytes = 256 << 20

    public var timeToLive: Int
    public var maxBytes: Int

    public init(timeToLive: Int = defaultTimeToLive, maxBytes: Int = defaultMaxBytes) {
        self.timeToLive = timeToLive
        self.maxBytes = maxBytes
    }

    package enum CodingKeys: String, CodingKey {
        case timeToLive = "ttl_seconds"
        case maxBytes = "max_bytes"
    }
}
