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

    package enum CodingKeys: String, CodingKey {
        case queued, done, failed, retried, filtered
        case inFlight = "in_flight"
        case llmCalls = "llm_calls"
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
    }
}
