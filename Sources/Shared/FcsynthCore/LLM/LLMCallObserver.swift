/// Hears about every attempt and every successful call, so the worker can count
/// events by kind without the client knowing about metrics.
public protocol LLMCallObserver: Sendable {
    /// One attempt failed; `willRetry` says whether the client tries again.
    func llmAttemptFailed(call: String, error: LLMError, willRetry: Bool)
    /// A call succeeded after `attempts` attempts.
    func llmCallFinished(call: String, response: ChatResponse, attempts: Int)
}
