/// A request as batch mode keeps it in Redis while it waits for a batch: every field that
/// decides the answer, so that the batch asks exactly what the stage asked.
extension ChatRequest: Codable {
    package enum CodingKeys: String, CodingKey {
        case call, messages, temperature
        case maxTokens = "max_tokens"
        case jsonMode = "json_mode"
        case replySchema = "reply_schema"
        case serviceTier = "service_tier"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            call: try container.decode(String.self, forKey: .call),
            messages: try container.decode([ChatMessage].self, forKey: .messages),
            temperature: try container.decode(Double.self, forKey: .temperature),
            maxTokens: try container.decodeIfPresent(Int.self, forKey: .maxTokens),
            jsonMode: try container.decode(Bool.self, forKey: .jsonMode),
            replySchema: try container.decodeIfPresent(JSONValue.self, forKey: .replySchema))
        serviceTier = try container.decodeIfPresent(ServiceTier.self, forKey: .serviceTier)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(call, forKey: .call)
        try container.encode(messages, forKey: .messages)
        try container.encode(temperature, forKey: .temperature)
        try container.encodeIfPresent(maxTokens, forKey: .maxTokens)
        try container.encode(jsonMode, forKey: .jsonMode)
        try container.encodeIfPresent(replySchema, forKey: .replySchema)
        try container.encodeIfPresent(serviceTier, forKey: .serviceTier)
    }
}
