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

    public init(
        call: String, messages: [ChatMessage], temperature: Double = 0.7, maxTokens: Int? = nil, jsonMode: Bool = false
    ) {
        self.call = call
        self.messages = messages
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.jsonMode = jsonMode
    }
}
