/// How the HTTP client retries transport errors, 429 and 5xx answers.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts per call, the first included; 1 disables retries.
    public var maxAttempts: Int
    /// The backoff before the second attempt; it doubles for each one after.
    public var baseDelay: Duration
    /// The cap on one backoff.
    public var maxDelay: Duration
    /// The deadline for a whole call, across attempts and backoffs.
    public var maxTotalTime: Duration
    /// The longest `Retry-After` the client waits for; a server asking for more gets this.
    public var maxRetryAfter: Duration
    /// False: a rate 429 (`ThrottleKind.rate`) is handed back at once, to a caller that waits out
    /// the endpoint's budget for the whole fleet before asking again (`ThrottledLLM`).
    public var retriesRateLimits = true

    public init(
        maxAttempts: Int = 5,
        baseDelay: Duration = .milliseconds(500),
        maxDelay: Duration = .seconds(20),
        maxTotalTime: Duration = .seconds(600),
        maxRetryAfter: Duration = .seconds(60)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxTotalTime = maxTotalTime
        self.maxRetryAfter = maxRetryAfter
    }

    public static let `default` = RetryPolicy()

    /// One attempt, bounded only by the request timeout.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The wait after failed attempt number `attempt` (1-based).
    ///
    /// The backoff is `baseDelay * 2^(attempt-1)`, capped at `maxDelay`, with "equal jitter":
    /// a uniform draw from its upper half, so that synchronized failures spread out yet every
    /// wait keeps a floor. A server's `Retry-After` (capped at `maxRetryAfter`) is a minimum.
    public func delay(
        afterAttempt attempt: Int, retryAfter: Duration? = nil, using generator: inout some RandomNumberGenerator
    ) -> Duration {
        let growth = Double(sign: .plus, exponent: min(max(attempt - 1, 0), 62), significand: 1)
        let backoff = min(baseDelay.inSeconds * growth, maxDelay.inSeconds)
        let jittered = backoff / 2 + Double.random(in: 0...1, using: &generator) * backoff / 2
        let floor = retryAfter.map { min(max($0.inSeconds, 0), maxRetryAfter.inSeconds) } ?? 0
        return .seconds(max(jittered, floor))
    }
}
