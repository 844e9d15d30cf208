/// Token counts as the endpoint reports them.
public struct TokenUsage: Codable, Sendable, Hashable {
    public var promptTokens: Int
    public var completionTokens: Int
    /// The part of `promptTokens` the endpoint served from its prompt cache
    /// (`prompt_tokens_details.cached_tokens`), billed at the cached rate; 0 when it says none.
    public var cachedTokens: Int

    public var totalTokens: Int { promptTokens + completionTokens }

    public init(promptTokens: Int = 0, completionTokens: Int = 0, cachedTokens: Int = 0) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.cachedTokens = cachedTokens
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
            completionTokens: lhs.completionTokens + rhs.completionTokens,
            cachedTokens: lhs.cachedTokens + rhs.cachedTokens)
    }

    package enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case promptTokensDetails = "prompt_tokens_details"
    }

    /// OpenAI's layout, so that an endpoint's `usage` decodes as it is and a record's reads the same.
    private struct PromptDetails: Codable {
        var cachedTokens: Int?

        enum CodingKeys: String, CodingKey {
            case cachedTokens = "cached_tokens"
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        promptTokens = try container.decode(Int.self, forKey: .promptTokens)
        completionTokens = try container.decode(Int.self, forKey: .completionTokens)
        let details = try container.decodeIfPresent(PromptDetails.self, forKey: .promptTokensDetails)
        // Never more than the prompt: an endpoint's inconsistent report is not billed twice.
        cachedTokens = min(max(0, details?.cachedTokens ?? 0), max(0, promptTokens))
    }

    /// Without details when nothing was cached, so that records of endpoints without a cache stay as they were.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(promptTokens, forKey: .promptTokens)
        try container.encode(completionTokens, forKey: .completionTokens)
        if cachedTokens > 0 {
            try container.encode(PromptDetails(cachedTokens: cachedTokens), forKey: .promptTokensDetails)
        }
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
