import Foundation

/// How a `RedisClient` connects, waits and reconnects.
public struct RedisClientOptions: Sendable, Hashable {
    public var connectTimeout: Double
    /// Longer than any blocking wait a caller asks for; `RedisClient` raises it for a blocking call.
    public var readTimeout: Double
    /// How long a command may wait for the connection to come back before it fails as unavailable.
    public var unavailableTimeout: Double
    public var reconnectBaseDelay: Double
    public var reconnectMaxDelay: Double
    /// Commands sent in one round trip, at most, when many callers are waiting.
    public var maxBatch: Int

    public init(
        connectTimeout: Double = 2, readTimeout: Double = 10, unavailableTimeout: Double = 30,
        reconnectBaseDelay: Double = 0.05, reconnectMaxDelay: Double = 2, maxBatch: Int = 512
    ) {
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.unavailableTimeout = unavailableTimeout
        self.reconnectBaseDelay = reconnectBaseDelay
        self.reconnectMaxDelay = reconnectMaxDelay
        self.maxBatch = maxBatch
    }

    public static let `default` = RedisClientOptions()

    /// For tools that should fail fast rather than wait out an outage.
    public static let failFast = RedisClientOptions(unavailableTimeout: 0)

    /// For long-lived processes that must ride out a Redis restart.
    public static func patient(waitingUpTo seconds: Double) -> RedisClientOptions {
        RedisClientOptions(unavailableTimeout: seconds)
    }
}

extension RedisClientOptions {
    /// Why a command gave up on an unreachable server: a client that waits says for how long;
    /// one that does not wait (`status`, say) says only that nothing answers. Under sentinels,
    /// `error` (the last attempt's) says what each sentinel, or the master they named, did.
    func unanswered(by url: RedisURL, after error: RedisError? = nil) -> String {
        let seconds =
            unavailableTimeout == unavailableTimeout.rounded()
            ? String(Int(unavailableTimeout)) : String(format: "%.1f", unavailableTimeout)
        guard let sentinels = url.sentinels else {
            guard unavailableTimeout > 0 else { return "nothing answers at \(url.location)" }
            return "\(url.location) did not answer within \(seconds) s"
        }
        let reason: String
        switch error {
        case .unavailable(let message), .connectionLost(let message): reason = message
        case let other?: reason = "\(other)"
        case nil: reason = "nothing answers at \(url.location)"
        }
        guard unavailableTimeout > 0 else { return reason }
        return "no master \"\(sentinels.masterName)\" answered within \(seconds) s; last: \(reason)"
    }
}
