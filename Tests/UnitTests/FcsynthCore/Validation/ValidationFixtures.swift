@testable import FcsynthCore

/// Schemas and values written as JSON text, as models write them.
func json(_ text: String) throws -> JSONValue {
    try JSONCoding.decode(JSONValue.self, from: text)
}

enum ValidationFixtures {
    static func weather() throws -> FunctionDefinition {
        FunctionDefinition(
            name: "get_weather",
            description: "Current weather for a city.",
            parameters: try json(
                #"""
                {"type": "object",
                 "properties": {"city": {"type": "string", "description": "City name"},
                                "units": {"type": "string", "enum": ["metric", "imperial"]},
                                "days": {"type": "integer", "minimum": 1, "maximum": 7}},
                 "required": ["city"]}
                """#),
            responses: try json(
                #"""
                {"type": "object",
                 "properties": {"temperature": {"type": "number"}, "conditions": {"type": "string"}},
                 "required": ["temperature", "conditions"]}
                """#))
    }

    static func convert() throws -> FunctionDefinition {
        FunctionDefinition(
            name: "convert_temperature",
            description: "Converts a temperature between Celsius and Fahrenheit.",
            parameters: try json(
                #"""
                {"type": "object",
                 "properties": {"value": {"type": "number"}, "to": {"type": "string", "enum": ["C", "F"]}},
                 "required": ["value", "to"]}
                """#),
            responses: try json(
                #"{"type": "object", "properties": {"value": {"type": "number"}}, "required": ["value"]}"#))
    }

    static func call(_ id: String, _ name: String, _ arguments: String) -> ToolCall {
        ToolCall(id: id, name: name, arguments: arguments)
    }

    /// A valid two-round conversation with a parallel call; tests break one thing each.
    static func record() throws -> ConversationRecord {
        let functions = [try weather(), try convert()]
        let messages = [
            OutputMessage(role: .system, content: "You can call these tools."),
            OutputMessage(role: .user, content: "What is the weather in Paris and Tokyo, in Fahrenheit for Paris?"),
            OutputMessage(
                role: .assistant, content: "1. Get both forecasts. 2. Convert Paris.",
                toolCalls: [
                    call("call_1", "get_weather", #"{"city": "Paris"}"#),
                    call("call_2", "get_weather", #"{"city": "Tokyo", "units": "metric"}"#),
                ]),
            OutputMessage(role: .tool, content: #"{"temperature": 18, "conditions": "cloudy"}"#, toolCallId: "call_2"),
            OutputMessage(role: .tool, content: #"{"temperature": 21.5, "conditions": "sunny"}"#, toolCallId: "call_1"),
            OutputMessage(
                role: .assistant, content: "Converting Paris.",
                toolCalls: [
                    call("call_3", "convert_temperature", #"{"value": 21.5, "to": "F"}"#)
                ]),
            OutputMessage(role: .tool, content: #"{"value": 70.7}"#, toolCallId: "call_3"),
            OutputMessage(role: .assistant, content: "Paris: 70.7°F and sunny. Tokyo: 18°C and cloudy."),
        ]
        let lineage = Lineage(
            run: "run", line: 1, itemId: "item-1", scenario: "checking the weather",
            atomTask: "weather in Paris", compositionMode: .paraSeq,
            compositionTask: "weather in Paris and Tokyo", subTasks: ["a", "b", "c"])
        return ConversationRecord(
            id: "conv-1", messages: messages, tools: functions.map(ToolDefinition.init),
            functions: functions, lineage: lineage, usage: TokenUsage())
    }
}
