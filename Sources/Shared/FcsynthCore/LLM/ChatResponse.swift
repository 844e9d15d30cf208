/// Token counts as the endpoint reports them.
public struct TokenUsage: Codable, Sendable, Hashable {
    public var promptTokens: Int
    public var completionTokens: Int

    public var totalTokens: Int { promptTokens + completionTokens }

    public init(promptTokens: Int = 0, completionTokens: Int = 0) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    /// For an endpoint that reports none: about 4 bytes of text a token, as OpenAI's
    /// tokenizers give on English; a rough count, marked as an estimate wherever it is used.
    public static func estimate(prompt: [ChatMessage], completion: String) -> TokenUsage {
        let promptBytes = prompt.reduce(0) { $0 + $1.content.utf8.count }
        return TokenUsage(
            promptTokens: (promptBytes + 3) / 4 + 4 * prompt.count, completionTokens: (completion.utf8.count + 3) / 4)
    }

    public static func + (lhs: TokenUsage, rhs: TokenUsage) -> TokenUsage {
        TokenUsage(
            promptTokens: lhs.promptTokens + rhs.promptTokens,
            completionTokens: lhs.completionTokens + rhs.completionTokens)
    }

    package enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
    }
}

/// The model's answer to one chat-completion request.
public struct ChatResponse: Sendable, Hashable {
    public var content: String
    public var finishReason: String?
    public var usage: TokenUsage
    /// Wall time of the successful attempt, in seconds.
    public var latency: Double
    /// The model that answered, as the endpoint names it; nil when it does not say.
    public var model: String?
    /// The endpoint reported no usage: `usage` is fcsynth's estimate (about 4 bytes a token).
    public var usageEstimated: Bool = false

    public init(
        content: String, finishReason: String? = "stop", usage: TokenUsage = TokenUsage(), latency: Double = 0,
        model: String? = nil
    ) {
        self.content = content
        self.finishReason = finishReason
        self.usage = usage
        self.latency = latency
        self.model = model
    }
}
