import Foundation

/// The simulator's per-minute budgets, as OpenAI keeps them: a requests bucket and a tokens
/// bucket, each refilling steadily at its limit and holding up to `burstSeconds` of it (a
/// minute's worth, as OpenAI's do, unless told otherwise). Every answer says where
/// they stand in `x-ratelimit-*` headers; a request that finds one empty is refused with a
/// rate 429 that says which, and how long until it would pass.
package struct SimulatorRateLimiter {
    package struct Bucket {
        package let limit: Int
        package let capacity: Double
        package var level: Double
        /// Monotonic nanoseconds of the last refill.
        package var at: UInt64

        init(limit: Int, burstSeconds: Double, now: UInt64) {
            self.limit = limit
            capacity = max(1, Double(limit) * burstSeconds / 60)
            level = capacity
            at = now
        }

        mutating func refill(now: UInt64) {
            let elapsed = Double(now &- at) / 1e9
            level = min(capacity, level + elapsed * Double(limit) / 60)
            at = now
        }

        var remaining: Int { max(0, Int(level.rounded(.down))) }
        /// Seconds until the bucket is full again: OpenAI's `x-ratelimit-reset-*`.
        var secondsToFull: Double { max(0, capacity - level) * 60 / Double(limit) }
        /// Seconds until `amount` fits.
        func secondsUntil(_ amount: Double) -> Double { max(0, amount - level) * 60 / Double(limit) }
    }

    package enum Decision {
        case admitted
        /// Which budget ran out (`requests` or `tokens`) and the seconds until the request would pass.
        case refused(budget: String, retryAfter: Double)
    }

    package var requests: Bucket?
    package var tokens: Bucket?

    package init(requestsPerMinute: Int, tokensPerMinute: Int, burstSeconds: Double = 60, now: UInt64) {
        requests = requestsPerMinute > 0 ? Bucket(limit: requestsPerMinute, burstSeconds: burstSeconds, now: now) : nil
        tokens = tokensPerMinute > 0 ? Bucket(limit: tokensPerMinute, burstSeconds: burstSeconds, now: now) : nil
    }

    package var isLimited: Bool { requests != nil || tokens != nil }

    /// Takes one request of `cost` tokens from the budgets, or refuses it and takes nothing.
    package mutating func admit(cost: Int, now: UInt64) -> Decision {
        requests?.refill(now: now)
        tokens?.refill(now: now)
        if let requests, requests.level < 1 {
            return .refused(budget: "requests", retryAfter: requests.secondsUntil(1))
        }
        if let tokens, tokens.level < Double(cost) {
            // A request larger than the whole budget waits for a full bucket, as no wait helps more.
            return .refused(budget: "tokens", retryAfter: tokens.secondsUntil(min(Double(cost), tokens.capacity)))
        }
        requests?.level -= 1
        tokens?.level -= Double(cost)
        return .admitted
    }

    /// The `x-ratelimit-*` headers for the budgets' state now.
    package var headers: [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        for (name, bucket) in [("requests", requests), ("tokens", tokens)] {
            guard let bucket else { continue }
            headers += [
                ("x-ratelimit-limit-\(name)", String(bucket.limit)),
                ("x-ratelimit-remaining-\(name)", String(bucket.remaining)),
                ("x-ratelimit-reset-\(name)", Self.resetText(bucket.secondsToFull)),
            ]
        }
        return headers
    }

    /// A reset time as OpenAI writes it: `350ms`, `1.5s`, `6m0s`.
    package static func resetText(_ seconds: Double) -> String {
        if seconds < 1 { return "\(Int((seconds * 1000).rounded(.up)))ms" }
        if seconds < 60 { return String(format: "%.3gs", seconds) }
        let minutes = Int(seconds / 60)
        return "\(minutes)m" + String(format: "%.3gs", seconds - Double(minutes) * 60)
    }
}
