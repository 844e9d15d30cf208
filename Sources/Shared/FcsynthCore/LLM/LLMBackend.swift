/// The seam between the stages and a model: the HTTP client for a real endpoint,
/// or the simulated LLM for dry runs, tests and benchmarks.
public protocol LLMBackend: Sendable {
    func complete(_ request: ChatRequest) async throws -> ChatResponse
}
