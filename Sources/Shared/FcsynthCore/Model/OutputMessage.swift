/// A tool call in OpenAI chat format: `arguments` is a JSON string, as the API sends it.
public struct ToolCall: Codable, Sendable, Hashable {
    public struct Function: Codable, Sendable, Hashable {
        public var name: String
        public var arguments: String

        public init(name: String, arguments: String) {
            self.name = name
            self.arguments = arguments
        }
    }

    public var id: String
    public var type: String
    public var function: Function

    public init(id: String, name: String, arguments: String) {
        self.id = id
        self.type = "function"
        self.function = Function(name: name, arguments: arguments)
    }
}

/// A message of a finished conversation, in OpenAI chat format.
public struct OutputMessage: Codable, Sendable, Hashable {
    public var role: ChatMessage.Role
    public var content: String?
    public var toolCalls: [ToolCall]?
    public var toolCallId: String?

    public init(role: ChatMessage.Role, content: String?, toolCalls: [ToolCall]? = nil, toolCallId: String? = nil) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallId = toolCallId
    }

    package enum CodingKeys: String, CodingKey {
        case role, content
        case toolCalls = "tool_calls"
        case toolCallId = "tool_call_id"
    }
}

/// A tool as OpenAI's `tools` array lists it.
public struct ToolDefinition: Codable, Sendable, Hashable {
    public struct Function: Codable, Sendable, Hashable {
        public var name: String
        public var description: String
        public var parameters: JSONValue
    }

    public var type: String
    public var function: Function

    public init(_ definition: FunctionDefinition) {
        self.type = "function"
        self.function = Function(
            name: definition.name, description: definition.description, parameters: definition.parameters)
    }
}
