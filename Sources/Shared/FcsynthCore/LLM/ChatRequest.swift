/// What a stage asks of the model. The model name and endpoint belong to the backend.
public struct ChatRequest: Sendable, Hashable {
    /// Sent as the `X-Fcsynth-Stage` header: a stage name, or for the conversation stage
    /// one of `conv_user`, `conv_assistant`, `conv_tool`.
    public var call: String
    public var messages: [ChatMessage]
    public var temperature: Double
    public var maxTokens: Int?
    /// Sends `response_format: {"type": "json_object"}`.
    public var jsonMode: Bool
    /// The JSON Schema of the reply, for endpoints that constrain their output to it
    /// (`response_format: {"type": "json_schema", ...}`); nil asks for no schema.
    public var replySchema: JSONValue?
    /// Sent as `service_tier`; nil sends none, and the endpoint uses its own default.
    public var serviceTier: ServiceTier?

    public init(
        call: String, messages: [ChatMessage], temperature: Double = 0.7, maxTokens: Int? = nil, jsonMode: Bool = false,
        replySchema: JSONValue? = nil
    ) {
        self.call = call
        self.messages = messages
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.jsonMode = jsonMode
        self.replySchema = replySchema
    }
}
