/// Hands each event to several observers.
public struct LLMObservers: LLMCallObserver {
    public let observers: [any LLMCallObserver]

    public init(_ observers: [any LLMCallObserver]) {
        self.observers = observers
    }

    public func llmAttemptFailed(call: String, error: LLMError, willRetry: Bool) {
        for observer in observers { observer.llmAttemptFailed(call: call, error: error, willRetry: willRetry) }
    }

    public func llmCallFinished(call: String, response: ChatResponse, attempts: Int) {
        for observer in observers { observer.llmCallFinished(call: call, response: response, attempts: attempts) }
    }

    public func llmRateLimits(call: String, limits: RateLimitHeaders) {
        for observer in observers { observer.llmRateLimits(call: call, limits: limits) }
    }

    public func llmThrottled(call: String, kind: ThrottleKind, wait: Double?) {
        for observer in observers { observer.llmThrottled(call: call, kind: kind, wait: wait) }
    }
}
