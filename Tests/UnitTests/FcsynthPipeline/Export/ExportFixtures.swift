@testable import FcsynthCore

/// Conversations built by hand, one per shape the exports must handle.
enum ExportFixtures {
    static let systemPrompt = "You can call the tools listed."

    static let forecast = FunctionDefinition(
        name: "get_forecast",
        description: "Daily forecast for a city.",
        parameters: .object([
            "type": .string("object"),
            "properties": .object([
                "city": .object(["type": .string("string")]),
                "date": .object(["type": .string("string")]),
            ]),
            "required": .array([.string("city"), .string("date")]),
        ]),
        responses: .object(["type": .string("object")])
    )

    static let convert = FunctionDefinition(
        name: "celsius_to_fahrenheit",
        description: "Converts a temperature.",
        parameters: .object([
            "type": .string("object"),
            "properties": .object(["celsius": .object(["type": .string("number")])]),
            "required": .array([.string("celsius")]),
        ]),
        responses: .object(["type": .string("object")])
    )

    static func lineage(_ mode: CompositionMode) -> Lineage {
        Lineage(
            run: "r1", line: 7, itemId: "item-7", scenario: "planning a trip", atomTask: "Get the forecast.",
            compositionMode: mode, compositionTask: "Get the forecast and convert it.",
            subTasks: ["forecast", "convert"])
    }

    static func record(
        id: String, _ messages: [OutputMessage], functions: [FunctionDefinition] = [forecast, convert],
        mode: CompositionMode = .sequential
    ) -> ConversationRecord {
        ConversationRecord(
            id: id, messages: messages, tools: functions.map(ToolDefinition.init), functions: functions,
            lineage: lineage(mode), usage: TokenUsage(promptTokens: 120, completionTokens: 45))
    }

    /// One call per turn, the second depending on the first.
    static let sequential = record(
        id: "seq",
        [
            OutputMessage(role: .system, content: systemPrompt),
            OutputMessage(role: .user, content: "What is the high in Lisbon on 2024-06-01, in Fahrenheit?"),
            OutputMessage(
                role: .assistant, content: "1. Get the forecast. 2. Convert the high.",
                toolCalls: [
                    ToolCall(
                        id: "call_1", name: "get_forecast", arguments: #"{"city": "Lisbon", "date": "2024-06-01"}"#)
                ]),
            OutputMessage(role: .tool, content: #"{"high_c": 24}"#, toolCallId: "call_1"),
            OutputMessage(
                role: .assistant, content: nil,
                toolCalls: [ToolCall(id: "call_2", name: "celsius_to_fahrenheit", arguments: #"{"celsius":24}"#)]),
            OutputMessage(role: .tool, content: #"{"fahrenheit": 75.2}"#, toolCallId: "call_2"),
            OutputMessage(role: .assistant, content: "The high in Lisbon will be 75.2 °F."),
        ])

    /// Two independent calls in one turn, their results arriving out of call order.
    static let parallel = record(
        id: "par",
        [
            OutputMessage(role: .system, content: systemPrompt),
            OutputMessage(role: .user, content: "Forecasts for Oslo and Rome on 2024-07-01?"),
            OutputMessage(
                role: .assistant, content: "Both cities at once.",
                toolCalls: [
                    ToolCall(id: "call_a", name: "get_forecast", arguments: #"{"city":"Oslo","date":"2024-07-01"}"#),
                    ToolCall(id: "call_b", name: "get_forecast", arguments: #" {"city":"Rome","date":"2024-07-01"} "#),
                ]),
            OutputMessage(role: .tool, content: #"{"high_c": 31}"#, toolCallId: "call_b"),
            OutputMessage(role: .tool, content: "sunny, 19 C", toolCallId: "call_a"),
            OutputMessage(role: .assistant, content: "Oslo: sunny, 19 °C. Rome: 31 °C."),
        ], mode: .paraSeq)

    /// A plain exchange with no tools at all.
    static let noTools = record(
        id: "plain",
        [
            OutputMessage(role: .system, content: systemPrompt),
            OutputMessage(role: .user, content: "Say \"hi\"\non two lines."),
            OutputMessage(role: .assistant, content: "hi\nhi"),
        ], functions: [])

    /// `sequential` with its messages replaced.
    static func sequential(with messages: [OutputMessage]) -> ConversationRecord {
        var record = sequential
        record.messages = messages
        return record
    }
}
