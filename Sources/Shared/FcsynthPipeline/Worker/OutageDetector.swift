import FcsynthCore
import Foundation
import Logging
import Synchronization

/// Tells an endpoint-wide outage (every call failing to connect, or answering 5xx, 429, or 401
/// or 403 for a key it refuses)
/// from a task that keeps failing, so that an outage pauses work instead of burning the
/// tasks' attempt budgets and sending healthy items to dead.
public final class OutageDetector: LLMCallObserver {
    private struct State {
        var consecutiveFailures = 0
        var since: ContinuousClock.Instant?
    }

    /// Failed attempts in a row, with no success between, that make an outage.
    public let threshold: Int
    private let state = Mutex(State())
    private let logger: Logger

    public init(threshold: Int = 8, logger: Logger = Logger(label: "fcsynth.worker")) {
        self.threshold = threshold
        self.logger = logger
    }

    public var isOutage: Bool { state.withLock { $0.since != nil } }

    public func llmAttemptFailed(call: String, error: LLMError, willRetry: Bool) {
        guard error.isEndpointWide else { return }
        let began = state.withLock { state -> Bool in
            state.consecutiveFailures += 1
            guard state.since == nil, state.consecutiveFailures >= threshold else { return false }
            state.since = .now
            return true
        }
        guard began else { return }
        if error.isCredentialRefusal {
            logger.error(
                "the LLM endpoint refuses the API key; pausing work and probing until it accepts one: check FCSYNTH_API_KEY (FCSYNTH_JUDGE_API_KEY for a judge of its own)",
                metadata: ["failures_in_a_row": "\(threshold)", "last_error": "\(error.kind)"])
        } else {
            logger.warning(
                "LLM endpoint outage: every recent call failed; pausing work and probing until it answers",
                metadata: ["failures_in_a_row": "\(threshold)", "last_error": "\(error.kind)"])
        }
    }

    public func llmCallFinished(call: String, response: ChatResponse, attempts: Int) {
        let ended = state.withLock { state -> ContinuousClock.Instant? in
            state.consecutiveFailures = 0
            defer { state.since = nil }
            return state.since
        }
        if let ended {
            logger.notice(
                "LLM endpoint answers again; resuming",
                metadata: ["outage_seconds": "\(Int((ContinuousClock.now - ended) / .seconds(1)))"])
        }
    }
}
