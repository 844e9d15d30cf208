import FcsynthCore

/// The backend a run's stages talk to when the run asks for a service tier: every call carries
/// it, whichever stage makes it, so that the whole run is billed at the tier it was priced at.
package struct TieredLLM: LLMBackend {
    package let base: any LLMBackend
    package let tier: ServiceTier

    package var identity: BackendIdentity { base.identity }

    package func complete(_ request: ChatRequest) async throws -> ChatResponse {
        var tiered = request
        tiered.serviceTier = tier
        return try await base.complete(tiered)
    }
}
