import FcsynthCore
import FcsynthRedis
import Foundation

/// An LLM backend that keeps a run's calls within its fleet-wide requests- and
/// tokens-per-minute limits, and within pauses a 429 anywhere in the fleet set.
package struct ThrottledLLM: LLMBackend {
    package let base: any LLMBackend
    package let backoff: FleetBackoff
    package let keys: RunKeys
    package let requestsPerMinute: Int
    package let tokensPerMinute: Int

    package var identity: BackendIdentity { base.identity }

    package func complete(_ request: ChatRequest) async throws -> ChatResponse {
        guard requestsPerMinute > 0 || tokensPerMinute > 0 else {
            await backoff.waitIfPaused()
            return try await base.complete(request)
        }
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
        let response = try await base.complete(request)
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
}
