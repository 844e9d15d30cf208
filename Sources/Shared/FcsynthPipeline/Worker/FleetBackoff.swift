import FcsynthCore
import FcsynthRedis
import Foundation
import Logging
import Synchronization

/// Makes a 429 slow the whole fleet down, not one worker: the worker that hears it sets a
/// pause in Redis for the Retry-After time, and every worker waits it out before new calls.
public final class FleetBackoff: LLMCallObserver {
    private struct State {
        var localUntil = Date.distantPast
        var lastPublished = Date.distantPast
        var lastChecked = Date.distantPast
    }

    package let redis: RedisClient
    private let key: String
    private let state = Mutex(State())

    public init(redis: RedisClient, namespace: String) {
        self.redis = redis
        self.key = RunKeys.llmPause(namespace: namespace)
    }

    public func llmAttemptFailed(call: String, error: LLMError, willRetry: Bool) {
        guard case .httpStatus(429, _, let retryAfter) = error else { return }
        let until = Date().addingTimeInterval(min(max(retryAfter ?? 1, 0.2), 60))
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
