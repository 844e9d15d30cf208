/// A conversation under construction, carried from step to step so that each LLM call
/// of the three agents is a task of its own.
public struct ConversationState: Codable, Sendable, Hashable {
    /// The dialogue so far, in output format (no system message yet).
    public var messages: [OutputMessage]
    /// Assistant turns taken so far.
    public var rounds: Int
    /// The ids of the calls answered with an error on purpose (`tool_error_rate`).
    public var failedCalls: [String]?

    public init(messages: [OutputMessage] = [], rounds: Int = 0) {
        self.messages = messages
        self.rounds = rounds
    }
}
