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

    package func complete(_ request: ChatRequest) async throws -> ChatResponse {
        guard requestsPerMinute > 0 || tokensPerMinute > 0 else {
            await backoff.waitIfPaused()
            return try await paced(request)
        }
        let estimate = request.messages.reduce(0) { $0 + $1.content.utf8.count } / 4 + (request.maxTokens ?? 512)
        while true {
            try Task.checkCancellation()
            let reply = try await PipelineScripts.acquireBudget.evaluate(
                on: backoff.redis, keys: keys, arguments: [requestsPerMinute, tokensPerMinute, estimate])
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
