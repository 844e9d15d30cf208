/// The seam between the stages and a model: the HTTP client for a real endpoint,
/// or the simulated LLM for dry runs, tests and benchmarks.
public protocol LLMBackend: Sendable {
    /// Stated in every record the backend's answers go into.
    var identity: BackendIdentity { get }
    func complete(_ request: ChatRequest) async throws -> ChatResponse
}
