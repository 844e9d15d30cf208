import Synchronization

/// Counts failed LLM attempts by kind, retried or not, until the worker flushes them to the
/// fleet-wide stats hash.
public final class LLMFaultTally: LLMCallObserver {
    private let counts = Mutex<[String: Int]>([:])

    public init() {}

    public func llmAttemptFailed(call: String, error: LLMError, willRetry: Bool) {
        counts.withLock { $0["llm_faults:\(error.kind)", default: 0] += 1 }
    }

    public func llmCallFinished(call: String, response: ChatResponse, attempts: Int) {
        counts.withLock { $0["llm_calls", default: 0] += 1 }
    }

    /// The counts since the last call, and zero from now on.
    public func drain() -> [String: Int] {
        counts.withLock { counts in
            defer { counts = [:] }
            return counts
        }
    }
}

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
}
