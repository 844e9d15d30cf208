/// Why an endpoint answered 429, which decides what the fleet does about it.
public enum ThrottleKind: String, Sendable, Hashable {
    /// Too many requests at once: fewer calls in flight help at once.
    case concurrency
    /// Too many requests or tokens per minute: only waiting for the budget's reset helps.
    case rate

    /// Reads a 429 by the server's words, then by its headers. Said plainly, "concurrent"
    /// or "at once" is the concurrency limit, and "per minute" (OpenAI's "Rate limit reached
    /// for requests per min") the rate. An unworded 429 whose headers show budget left is a
    /// concurrency limit, since the rate was not what ran out; any other is taken as a rate
    /// limit, which waits and sheds no concurrency.
    public static func classify(message: String, limits: RateLimitHeaders) -> ThrottleKind {
        let text = message.lowercased()
        let concurrencyWords = ["concurren", "at once", "in flight", "in parallel", "simultaneous"]
        let rateWords = ["per min", "per minute", "per day", "per second", "rpm", "tpm", "requests per", "tokens per"]
        if concurrencyWords.contains(where: text.contains) { return .concurrency }
        if rateWords.contains(where: text.contains) { return .rate }
        if limits.isExhausted { return .rate }
        if let requests = limits.remainingRequests, requests > 0, limits.remainingTokens.map({ $0 > 0 }) ?? true {
            return .concurrency
        }
        return .rate
    }
}

extension LLMError {
    /// An HTTP 429, of either kind.
    public var isThrottle: Bool {
        if case .httpStatus(429, _, _) = self { return true }
        return false
    }
}
