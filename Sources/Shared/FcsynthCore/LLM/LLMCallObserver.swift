/// Hears about every attempt and every successful call, so the worker can count
/// events by kind without the client knowing about metrics.
public protocol LLMCallObserver: Sendable {
    /// One attempt failed; `willRetry` says whether the client tries again.
    func llmAttemptFailed(call: String, error: LLMError, willRetry: Bool)
    /// A call succeeded after `attempts` attempts.
    func llmCallFinished(call: String, response: ChatResponse, attempts: Int)
    /// An answer, of any status, carried `x-ratelimit-*` headers; heard before the attempt's
    /// failure or the call's success.
    func llmRateLimits(call: String, limits: RateLimitHeaders)
    /// An attempt got a 429 of this kind; `wait` is what the server asked for (`Retry-After`,
    /// else the spent budget's reset), if it said. Heard before the attempt's failure.
    func llmThrottled(call: String, kind: ThrottleKind, wait: Double?)
}

extension LLMCallObserver {
    public func llmRateLimits(call: String, limits: RateLimitHeaders) {}
    public func llmThrottled(call: String, kind: ThrottleKind, wait: Double?) {}
}
