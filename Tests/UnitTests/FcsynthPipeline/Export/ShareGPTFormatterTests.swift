import Foundation
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

@Suite struct ShareGPTFormatterTests {
    let formatter = ShareGPTFormatter()

    private func document(_ record: ConversationRecord) throws -> JSONValue {
        let line = try formatter.line(for: record)
        try ShareGPTValidator.validate(line)
        return try JSONCoding.decode(JSONValue.self, from: Data(line))
    }

    private func roles(_ document: JSONValue) -> [String?] {
        (document["conversations"]?.arrayValue ?? []).map { $0["from"]?.stringValue }
    }

    @Test func writesSequentialCallsExactly() throws {
        let expected =
            #"{"conversations":["#
            + #"{"from":"human","value":"What is the high in Lisbon on 2024-06-01, in Fahrenheit?"},"#
            + #"{"from":"function_call","value":"{\"name\":\"get_forecast\",\"arguments\":{\"city\": \"Lisbon\", \"date\": \"2024-06-01\"}}"},"#
            + #"{"from":"observation","value":"{\"high_c\": 24}"},"#
            + #"{"from":"function_call","value":"{\"name\":\"celsius_to_fahrenheit\",\"arguments\":{\"celsius\":24}}"},"#
            + #"{"from":"observation","value":"{\"fahrenheit\": 75.2}"},"#
            + #"{"from":"gpt","value":"The high in Lisbon will be 75.2 °F."}],"#
            + #""system":"You can call the tools listed.","#
            + #""tools":"[{\"name\":\"get_forecast\",\"description\":\"Daily forecast for a city.\",\"parameters\":{\"properties\":{\"city\":{\"type\":\"string\"},\"date\":{\"type\":\"string\"}},\"required\":[\"city\",\"date\"],\"type\":\"object\"}},"#
            + #"{\"name\":\"celsius_to_fahrenheit\",\"description\":\"Converts a temperature.\",\"parameters\":{\"properties\":{\"celsius\":{\"type\":\"number\"}},\"required\":[\"celsius\"],\"type\":\"object\"}}]"}"#
        let line = try formatter.line(for: ExportFixtures.sequential)
        #expect(String(decoding: line, as: UTF8.self) == expected)
        try ShareGPTValidator.validate(line)
    }

    @Test func toolsStringParsesAsTheFunctionList() throws {
        let tools = try #require(try document(ExportFixtures.sequential)["tools"]?.stringValue)
        let list = try #require(try JSONCoding.decode(JSONValue.self, from: tools).arrayValue)
        #expect(list.compactMap { $0["name"]?.stringValue } == ["get_forecast", "celsius_to_fahrenheit"])
        #expect(list.first?["parameters"] == ExportFixtures.forecast.parameters)
    }

    @Test func parallelCallsBecomeOneListCallAndOneMergedObservation() throws {
        let document = try document(ExportFixtures.parallel)
        #expect(roles(document) == ["human", "function_call", "observation", "gpt"])
        let turns = try #require(document["conversations"]?.arrayValue)

        let calls = try JSONCoding.decode(JSONValue.self, from: try #require(turns[1]["value"]?.stringValue))
        #expect(
            calls
                == .array([
                    .object([
                        "name": .string("get_forecast"),
                        "arguments": .object(["city": .string("Oslo"), "date": .string("2024-07-01")]),
                    ]),
                    .object([
                        "name": .string("get_forecast"),
                        "arguments": .object(["city": .string("Rome"), "date": .string("2024-07-01")]),
                    ]),
                ]))

        let observation = try #require(turns[2]["value"]?.stringValue)
        #expect(
            observation == #"["sunny, 19 C",{"high_c": 31}]"#, "results in call order; a non-JSON result as a string")
        #expect(document["system"] == .string(ExportFixtures.systemPrompt))
    }

    @Test func dropsTheThoughtBesideToolCalls() throws {
        let line = String(decoding: try formatter.line(for: ExportFixtures.sequential), as: UTF8.self)
        #expect(!line.contains("Get the forecast. 2."))
    }

    @Test func conversationWithoutToolsHasAnEmptyToolList() throws {
        let document = try document(ExportFixtures.noTools)
        #expect(roles(document) == ["human", "gpt"])
        #expect(document["tools"] == .string("[]"))
        #expect(document["conversations"]?.arrayValue?[0]["value"] == .string("Say \"hi\"\non two lines."))
    }

    @Test func missingSystemMessageGivesAnEmptySystem() throws {
        let record = ExportFixtures.sequential(with: Array(ExportFixtures.noTools.messages.dropFirst()))
        #expect(try document(record)["system"] == .string(""))
    }

    @Test(
        arguments: [
            (
                "two user messages in a row",
                [
                    OutputMessage(role: .user, content: "Hi"), OutputMessage(role: .user, content: "Hello?"),
                    OutputMessage(role: .assistant, content: "Hi."),
                ]
            ),
            (
                "two answers in a row",
                [
                    OutputMessage(role: .user, content: "Hi"), OutputMessage(role: .assistant, content: "Hi."),
                    OutputMessage(role: .assistant, content: "Anything else?"),
                ]
            ),
            (
                "ends on the user",
                [
                    OutputMessage(role: .user, content: "Hi"), OutputMessage(role: .assistant, content: "Hi."),
                    OutputMessage(role: .user, content: "Bye"),
                ]
            ),
            ("answer before any question", [OutputMessage(role: .assistant, content: "Hi.")]),
            (
                "a late system message",
                [
                    OutputMessage(role: .user, content: "Hi"), OutputMessage(role: .system, content: "Be brief."),
                    OutputMessage(role: .assistant, content: "Hi."),
                ]
            ),
            (
                "a result without a call",
                [
                    OutputMessage(role: .user, content: "Hi"),
                    OutputMessage(role: .tool, content: "{}", toolCallId: "call_1"),
                    OutputMessage(role: .assistant, content: "Hi."),
                ]
            ),
            ("no messages", []),
        ] as [(String, [OutputMessage])])
    func refusesWhatLLaMAFactoryWouldSkip(_ situation: String, messages: [OutputMessage]) throws {
        let error = try #require(throws: ExportError.self, "\(situation)") {
            try formatter.line(for: ExportFixtures.sequential(with: messages))
        }
        #expect(error.format == .sharegpt)
        #expect(!error.reason.isEmpty)
    }

    @Test func refusesACallWhoseResultIsMissing() {
        var messages = ExportFixtures.parallel.messages
        messages.remove(at: 4)
        #expect(throws: ExportError.self) { try formatter.line(for: ExportFixtures.sequential(with: messages)) }
    }
}

@Suite struct ShareGPTValidatorTests {
    private func violation(_ line: String) -> ShareGPTViolation? {
        do {
            try ShareGPTValidator.validate(Array(line.utf8))
            return nil
        } catch {
            return error
        }
    }

    @Test func acceptsAValidLine() {
        let line =
            #"{"conversations":[{"from":"human","value":"a"},{"from":"function_call","value":"[{\"name\":\"f\",\"arguments\":{}}]"},"#
            + #"{"from":"observation","value":"[1,2]"},{"from":"gpt","value":"b"}],"system":"","tools":"[{\"name\":\"f\",\"parameters\":{}}]"}"#
        #expect(violation(line) == nil)
    }

    @Test(arguments: [
        #"{"conversations":[{"from":"gpt","value":"a"},{"from":"human","value":"b"}]}"#,
        #"{"conversations":[{"from":"human","value":"a"},{"from":"observation","value":"b"}]}"#,
        #"{"conversations":[{"from":"human","value":"a"},{"from":"gpt","value":"b"},{"from":"human","value":"c"}]}"#,
        #"{"conversations":[{"from":"human","value":"a"},{"from":"function_call","value":"get_weather(city=Oslo)"}]}"#,
        #"{"conversations":[{"from":"human","value":"a"},{"from":"function_call","value":"{\"name\":\"f\",\"arguments\":\"{}\"}"}]}"#,
        #"{"conversations":[{"from":"human","value":"a"},{"from":"gpt","value":"b"}],"tools":[{"name":"f"}]}"#,
        #"{"conversations":[{"from":"user","value":"a"},{"from":"gpt","value":"b"}]}"#,
        #"{"conversations":[]}"#,
        "not json",
    ])
    func rejectsBrokenLines(_ line: String) {
        #expect(violation(line) != nil)
    }
}
