import FcsynthCore
import FcsynthRedis
import Foundation

/// An LLM backend that keeps a run's calls within its fleet-wide requests- and
/// tokens-per-minute limits, within pauses a rate 429 anywhere in the fleet set, and, with a
/// pace, within this worker's share of the fleet's concurrency window.
package struct ThrottledLLM: LLMBackend {
    package let base: any LLMBackend
    package let backoff: FleetBackoff
    package let keys: RunKeys
    package let requestsPerMinute: Int
    package let tokensPerMinute: Int
    /// Nil: calls in flight are bounded by the worker's tasks alone (`--pace fixed`).
    package var pace: FleetPace?

    package var identity: BackendIdentity { base.identity }

    /// Rate 429s a call waits out here, through the fleet's pause and budget, before it fails.
    package static let rateRetries = 8

    package func complete(_ request: ChatRequest) async throws -> ChatResponse {
        var retries = 0
        while true {
            do {
                return try await budgeted(request)
            } catch let error as LLMError where error.isThrottle && backoff.learnsLimits && retries < Self.rateRetries {
                // The client handed the 429 back so that the next attempt, like a new call, waits
                // for the pause it set and for the budget.
                retries += 1
            }
        }
    }

    private func budgeted(_ request: ChatRequest) async throws -> ChatResponse {
        await backoff.waitIfPaused()
        // A run's own limits win; without them, the ones the endpoint announces, if the fleet learns them.
        let own = self.requestsPerMinute > 0 || self.tokensPerMinute > 0
        let (requestsPerMinute, tokensPerMinute) =
            own ? (self.requestsPerMinute, self.tokensPerMinute) : backoff.learnedLimits
        guard requestsPerMinute > 0 || tokensPerMinute > 0 else {
            return try await paced(request)
        }
        return try await charged(request, requestsPerMinute: requestsPerMinute, tokensPerMinute: tokensPerMinute)
    }

    /// Out of line: inlined, the budget's locals would be in the frame of every call, the many
    /// without limits too, for as long as it is in flight.
    @inline(never)
    private func charged(
        _ request: ChatRequest, requestsPerMinute: Int, tokensPerMinute: Int
    ) async throws -> ChatResponse {
        let estimate = request.messages.reduce(0) { $0 + $1.content.utf8.count } / 4 + (request.maxTokens ?? 512)
        while true {
            try Task.checkCancellation()
            let reply: RedisReply
            do {
                reply = try await PipelineScripts.acquireBudget.evaluate(
                    on: backoff.redis, keys: keys, arguments: [requestsPerMinute, tokensPerMinute, estimate])
            } catch {
                guard error.isOutOfMemory else { throw error }
                // A full Redis refuses the bucket's write: the call waits for room rather than
                // spend the task's attempt on it.
                try await Task.sleep(for: .seconds(1))
                continue
            }
            let wait = Int(reply.integer ?? 0)
            if wait == 0 { break }
            try await Task.sleep(for: .milliseconds(min(wait, 2_000) + Int.random(in: 0...20)))
        }
        let response = try await paced(request)
        if tokensPerMinute > 0 {
            // The bucket was charged an estimate; settle it with what the call really used. The
            // bucket expires as acquire_llm_budget.lua leaves it, so that a call finishing after
            // its run was purged cannot leave one behind for good.
            let correction = estimate - response.usage.totalTokens
            _ = try? await backoff.redis.execute([
                RedisCommand("HINCRBYFLOAT", keys.rateLimit, "tokens", correction),
                RedisCommand("PEXPIRE", keys.rateLimit, 120_000),
            ])
        }
        return response
    }

    /// The client's own retries happen inside the place taken, so that they count as in flight.
    private func paced(_ request: ChatRequest) async throws -> ChatResponse {
        guard let pace else { return try await base.complete(request) }
        try await pace.acquire()
        defer { pace.release() }
        return try await base.complete(request)
    }
}
