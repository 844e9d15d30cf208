import FcsynthCore
import FcsynthRedis
import Foundation

/// The backend one task's stage talks to: an answer the task already received (in an attempt
/// that died or was retried) comes from the replay store instead of the endpoint, and each new
/// answer is stored before the stage sees it, so that no later attempt pays for it again.
/// With replay off it only tallies the calls.
package struct ReplayingLLM: LLMBackend {
    package let base: any LLMBackend
    package let book: ReplayBook
    /// Where new answers go; nil: the run keeps none (`--no-replay`).
    package let store: ReplayStore?

    package var identity: BackendIdentity { base.identity }

    package func complete(_ request: ChatRequest) async throws -> ChatResponse {
        guard let store else {
            let response = try await base.complete(request)
            book.recordFresh(
                nil, usage: response.usage, estimated: response.usageEstimated,
                milliseconds: StoredReply.milliseconds(response.latency))
            return response
        }
        let (key, stored) = book.lookUp(request, model: base.identity.model)
        if let stored { return stored.response }
        let response = try await base.complete(request)
        await store.save(StoredReply(response), as: key)
        book.recordFresh(
            key, usage: response.usage, estimated: response.usageEstimated,
            milliseconds: StoredReply.milliseconds(response.latency))
        return response
    }
}
