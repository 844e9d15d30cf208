/// Placeholder until the stages land: answers every call with an empty JSON object.
public struct SimulatedLLM: LLMBackend {
    public init() {}

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        ChatResponse(content: "{}")
    }
}
