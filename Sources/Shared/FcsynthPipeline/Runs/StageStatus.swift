/// A stage's numbers in a run's status.
public struct StageStatus: Codable, Sendable, Hashable {
    public var queued: Int
    public var inFlight: Int
    public var done: Int
    public var failed: Int
    public var retried: Int
    public var filtered: Int
    public var llmCalls: Int
    public var promptTokens: Int
    public var completionTokens: Int
    /// Seconds the endpoint took to answer the stage's counted calls (`llm_ms:STAGE`), all
    /// together: over `llmCalls`, the mean latency. Replayed answers took none.
    public var llmSeconds: Double
    /// Calls answered from the replay store instead of the endpoint, and the tokens they saved.
    public var replayedCalls: Int
    public var tokensSaved: Int
    /// Calls answered from the response cache (`--cache`): no LLM call, tokens saved.
    public var cacheHits: Int = 0

    package enum CodingKeys: String, CodingKey {
        case queued, done, failed, retried, filtered
        case inFlight = "in_flight"
        case llmCalls = "llm_calls"
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case llmSeconds = "llm_seconds"
        case replayedCalls = "replayed_calls"
        case tokensSaved = "tokens_saved"
        case cacheHits = "cache_hits"
    }
}
