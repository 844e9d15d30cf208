import FcsynthCore

/// An LLM backend that marks the start and end of each call in a slot trace.
package struct TracedLLM: LLMBackend {
    package let base: any LLMBackend
    package let trace: SlotTrace

    package var identity: BackendIdentity { base.identity }

    package func complete(_ request: ChatRequest) async throws -> ChatResponse {
        trace.record(.callStarted)
        defer { trace.record(.callEnded) }
        return try await base.complete(request)
    }
}
