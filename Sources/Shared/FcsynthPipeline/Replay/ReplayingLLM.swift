import FcsynthCore
import FcsynthRedis
import Foundation

/// The backend one task's stage talks to: an answer the task already received (in an attempt
/// that died or was retried) comes from the replay store instead of the endpoint, and each new
/// answer is stored before the stage sees it, so that no later attempt pays for it again.
/// With the response cache on (`--cache`), an answer some run received for an identical request
/// comes from the cache next, before the endpoint is asked. With both off it only tallies the calls.
package struct ReplayingLLM: LLMBackend {
    package let base: any LLMBackend
    package let book: ReplayBook
    /// Where new answers go; nil: the run keeps none (`--no-replay`).
    package let store: ReplayStore?
    /// The response cache shared by the namespace's runs; nil: the run does not use it.
    package var cache: ResponseCache? = nil
    /// Batch mode: a request with no stored or cached answer parks the task (`BatchParking`)
    /// instead of calling the endpoint. Needs `store`, where the batch's answer will be.
    package var parksMissingAnswers = false

    package var identity: BackendIdentity { base.identity }

    // Each call in flight holds this frame while the endpoint answers: what comes before and
    // after that wait runs out of line, with frames of its own that only exist meanwhile.
    package func complete(_ request: ChatRequest) async throws -> ChatResponse {
        guard store != nil || cache != nil else { return try await tallied(request) }
        let (key, stored) = book.lookUp(request, model: base.identity.model)
        if let stored { return stored.response }
        if let cached = await cached(key) { return cached }
        if parksMissingAnswers, store != nil { throw BatchParking(key: key, request: request) }
        return await kept(try await base.complete(request), as: key)
    }

    @inline(never)
    private func tallied(_ request: ChatRequest) async throws -> ChatResponse {
        let response = try await base.complete(request)
        book.recordFresh(
            nil, usage: response.usage, estimated: response.usageEstimated,
            milliseconds: StoredReply.milliseconds(response.latency))
        return response
    }

    /// Not kept for replay: an attempt after a crash asks the cache again.
    @inline(never)
    private func cached(_ key: String) async -> ChatResponse? {
        guard let cache, let cached = await cache.fetch(key) else { return nil }
        book.recordCached(cached)
        return cached.response
    }

    @inline(never)
    private func kept(_ response: ChatResponse, as key: String) async -> ChatResponse {
        let reply = StoredReply(response)
        if let store { await store.save(reply, as: key) }
        if cache != nil { book.offerToCache(key, reply) }
        book.recordFresh(
            store == nil ? nil : key, usage: response.usage, estimated: response.usageEstimated,
            milliseconds: StoredReply.milliseconds(response.latency))
        return response
    }
}
