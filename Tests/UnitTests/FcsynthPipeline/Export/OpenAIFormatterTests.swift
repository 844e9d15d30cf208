import Foundation
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

@Suite struct OpenAIFormatterTests {
    let formatter = OpenAIFormatter()

    private func line(_ record: ConversationRecord) throws -> String {
        String(decoding: try formatter.line(for: record), as: UTF8.self)
    }

    @Test func writesSequentialCallsExactly() throws {
        let expected =
            #"{"messages":[{"role":"system","content":"You can call the tools listed."},"#
            + #"{"role":"user","content":"What is the high in Lisbon on 2024-06-01, in Fahrenheit?"},"#
            + #"{"role":"assistant","content":"1. Get the forecast. 2. Convert the high.","tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_forecast","arguments":"{\"city\": \"Lisbon\", \"date\": \"2024-06-01\"}"}}]},"#
            + #"{"role":"tool","tool_call_id":"call_1","content":"{\"high_c\": 24}"},"#
            + #"{"role":"assistant","tool_calls":[{"id":"call_2","type":"function","function":{"name":"celsius_to_fahrenheit","arguments":"{\"celsius\":24}"}}]},"#
            + #"{"role":"tool","tool_call_id":"call_2","content":"{\"fahrenheit\": 75.2}"},"#
            + #"{"role":"assistant","content":"The high in Lisbon will be 75.2 °F."}],"#
            + #""tools":[{"type":"function","function":{"name":"get_forecast","description":"Daily forecast for a city.","parameters":{"properties":{"city":{"type":"string"},"date":{"type":"string"}},"required":["city","date"],"type":"object"}}},"#
            + #"{"type":"function","function":{"name":"celsius_to_fahrenheit","description":"Converts a temperature.","parameters":{"properties":{"celsius":{"type":"number"}},"required":["celsius"],"type":"object"}}}]}"#
        #expect(try line(ExportFixtures.sequential) == expected)
    }

    @Test func lineDecodesToTheFineTuningShape() throws {
        let document = try JSONCoding.decode(JSONValue.self, from: Data(formatter.line(for: ExportFixtures.sequential)))
        #expect(document.objectValue.map { Set($0.keys) } == ["messages", "tools"])
        let messages = try #require(document["messages"]?.arrayValue)
        #expect(
            messages.map { $0["role"]?.stringValue } == [
                "system", "user", "assistant", "tool", "assistant", "tool", "assistant",
            ])

        let call = try #require(messages[2]["tool_calls"]?.arrayValue?.first)
        #expect(call["type"] == .string("function"))
        let arguments = try #require(call["function"]?["arguments"]?.stringValue)
        #expect(
            try JSONCoding.decode(JSONValue.self, from: arguments)
                == .object(["city": .string("Lisbon"), "date": .string("2024-06-01")]))

        #expect(messages[4]["content"] == nil, "a call without thought leaves content out")
        #expect(messages[3]["tool_call_id"] == .string("call_1"))
        #expect(messages[5]["tool_call_id"] == .string("call_2"))
        let tool = try #require(document["tools"]?.arrayValue?.first)
        #expect(tool["type"] == .string("function"))
        #expect(tool["function"]?["parameters"] == ExportFixtures.forecast.parameters)
    }

    @Test func parallelCallsShareOneAssistantMessageAndResultsFollowCallOrder() throws {
        let document = try JSONCoding.decode(JSONValue.self, from: Data(formatter.line(for: ExportFixtures.parallel)))
        let messages = try #require(document["messages"]?.arrayValue)
        #expect(messages.count == 6)
        #expect(messages[2]["tool_calls"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["call_a", "call_b"])
        #expect(messages[3]["tool_call_id"] == .string("call_a"))
        #expect(messages[3]["content"] == .string("sunny, 19 C"))
        #expect(messages[4]["tool_call_id"] == .string("call_b"))
    }

    @Test func conversationWithoutToolsOmitsTheToolList() throws {
        let expected =
            #"{"messages":[{"role":"system","content":"You can call the tools listed."},"#
            + #"{"role":"user","content":"Say \"hi\"\non two lines."},{"role":"assistant","content":"hi\nhi"}]}"#
        #expect(try line(ExportFixtures.noTools) == expected)
    }

    @Test func refusesAToolResultWithoutACall() {
        let record = ExportFixtures.sequential(with: [
            OutputMessage(role: .user, content: "Hi"),
            OutputMessage(role: .tool, content: "{}", toolCallId: "call_9"),
            OutputMessage(role: .assistant, content: "Done."),
        ])
        #expect(throws: ExportError.self) { try formatter.line(for: record) }
    }

    @Test func refusesAnUnansweredCall() throws {
        var messages = ExportFixtures.sequential.messages
        messages.remove(at: 3)
        let error = try #require(throws: ExportError.self) {
            try formatter.line(for: ExportFixtures.sequential(with: messages))
        }
        #expect(error.recordId == "seq")
        #expect(error.format == .openai)
        #expect(error.reason.contains("call_1"))
    }

    @Test func refusesArgumentsThatAreNotAJSONObject() {
        var messages = ExportFixtures.sequential.messages
        messages[2].toolCalls = [ToolCall(id: "call_1", name: "get_forecast", arguments: #"{"city": "Lisbon""#)]
        #expect(throws: ExportError.self) { try formatter.line(for: ExportFixtures.sequential(with: messages)) }
    }
}
