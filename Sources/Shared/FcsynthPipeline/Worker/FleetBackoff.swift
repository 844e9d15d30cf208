import FcsynthCore
import FcsynthRedis
import Foundation
import Logging
import Synchronization

/// Makes a rate 429 slow the whole fleet down, not one worker: the worker that hears it sets a
/// pause in Redis for the Retry-After time (or until the spent budget's reset), and every worker
/// waits it out before new calls. An answer whose `x-ratelimit-remaining-*` says a budget is
/// spent pauses the fleet the same way before the 429s come. A concurrency 429 pauses nothing:
/// `FleetPace` sheds calls in flight instead.
public final class FleetBackoff: LLMCallObserver {
    private struct State {
        var learned = RateLimitHeaders()
        var localUntil = Date.distantPast
        var lastPublished = Date.distantPast
        var lastChecked = Date.distantPast
    }

    package let redis: RedisClient
    private let key: String
    /// Whether a run without `--rpm` or `--tpm` takes the endpoint's `x-ratelimit-limit-*` as its own.
    public let learnsLimits: Bool
    private let state = Mutex(State())

    public init(redis: RedisClient, namespace: String, learnsLimits: Bool = false) {
        self.redis = redis
        self.key = RunKeys.llmPause(namespace: namespace)
        self.learnsLimits = learnsLimits
    }

    /// 90% of the per-minute limits the endpoint last announced, when `learnsLimits`: OpenAI's
    /// `x-ratelimit-limit-requests` and `-tokens` are per minute; 0 where none was heard. The
    /// margin leaves room for the drift between the fleet's budget and the endpoint's.
    package var learnedLimits: (requestsPerMinute: Int, tokensPerMinute: Int) {
        guard learnsLimits else { return (0, 0) }
        let margin = { (limit: Int?) in limit.map { max(1, $0 * 9 / 10) } ?? 0 }
        return state.withLock { (margin($0.learned.limitRequests), margin($0.learned.limitTokens)) }
    }

    public func llmAttemptFailed(call: String, error: LLMError, willRetry: Bool) {}

    public func llmThrottled(call: String, kind: ThrottleKind, wait: Double?) {
        guard kind == .rate else { return }
        pause(for: wait ?? 1)
    }

    public func llmRateLimits(call: String, limits: RateLimitHeaders) {
        if learnsLimits, limits.limitRequests != nil || limits.limitTokens != nil {
            state.withLock { state in
                state.learned.limitRequests = limits.limitRequests ?? state.learned.limitRequests
                state.learned.limitTokens = limits.limitTokens ?? state.learned.limitTokens
            }
        }
        guard let wait = limits.waitForSpentBudget else { return }
        pause(for: wait)
    }

    private func pause(for seconds: Double) {
        let until = Date().addingTimeInterval(min(max(seconds, 0.2), 60))
        let publish = state.withLock { state -> Bool in
            state.localUntil = max(state.localUntil, until)
            guard Date().timeIntervalSince(state.lastPublished) > 0.5 else { return false }
            state.lastPublished = Date()
            return true
        }
        guard publish else { return }
        let milliseconds = max(1, Int(until.timeIntervalSinceNow * 1000))
        let redis = redis
        let key = key
        // The key's time to live is the pause: no clock of any machine is compared.
        Task { _ = try? await redis.send("SET", key, "429", "PX", milliseconds) }
    }

    public func llmCallFinished(call: String, response: ChatResponse, attempts: Int) {}

    /// Waits out a pause this process heard of, or (checked at most twice a second) one
    /// another worker set.
    package func waitIfPaused() async {
        let (localUntil, check) = state.withLock { state -> (Date, Bool) in
            let due = Date().timeIntervalSince(state.lastChecked) > 0.5
            if due { state.lastChecked = Date() }
            return (state.localUntil, due)
        }
        var until = localUntil
        if check, let milliseconds = try? await redis.send("PTTL", key).integer, milliseconds > 0 {
            let remote = Date(timeIntervalSinceNow: Double(milliseconds) / 1000)
            state.withLock { $0.localUntil = max($0.localUntil, remote) }
            until = max(until, remote)
        }
        let wait = until.timeIntervalSinceNow
        if wait > 0 { try? await Task.sleep(for: .milliseconds(Int(wait * 1000))) }
    }
}
