import Foundation
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline
@testable import FcsynthStages

/// The variants in every export format: a question (`ask_user`) is an assistant message in
/// words, which the formats and LLaMA-Factory's rules take; and names masked consistently.
@Suite struct VariantExportTests {
    typealias E = ExportFixtures

    /// The user leaves out the date and the assistant asks for it before the first call.
    static var clarify: ConversationRecord {
        var messages = E.sequential.messages
        messages[1].content = "What is the high in Lisbon, in Fahrenheit?"
        messages.insert(
            contentsOf: [
                OutputMessage(role: .assistant, content: "Plan: 1. forecast, 2. convert. For which date?"),
                OutputMessage(role: .user, content: "For 2024-06-01."),
            ], at: 2)
        var record = E.sequential(with: messages)
        record.lineage.variant = .clarify
        record.lineage.withheldDetail = WithheldDetail(function: "get_forecast", parameter: "date")
        return record
    }

    @Test func aQuestionIsAnAssistantTurnInEveryFormat() throws {
        let record = Self.clarify
        let sharegpt = try ShareGPTFormatter().line(for: record)
        try ShareGPTValidator.validate(sharegpt)
        let turns = try JSONCoding.decode(JSONValue.self, from: Data(sharegpt))["conversations"]?.arrayValue ?? []
        #expect(turns.prefix(3).map { $0["from"]?.stringValue } == ["human", "gpt", "human"])
        #expect(turns[1]["value"]?.stringValue == "Plan: 1. forecast, 2. convert. For which date?")

        let openai = try JSONCoding.decode(JSONValue.self, from: Data(try OpenAIFormatter().line(for: record)))
        let question = try #require(openai["messages"]?.arrayValue?[2])
        #expect(question["role"]?.stringValue == "assistant" && question["tool_calls"] == nil)
        #expect(question["content"]?.stringValue == "Plan: 1. forecast, 2. convert. For which date?")

        let raw = try JSONCoding.decode(ConversationRecord.self, from: Data(try RawFormatter().line(for: record)))
        #expect(raw.lineage.variant == .clarify && raw.lineage.withheldDetail == record.lineage.withheldDetail)
    }

    /// A record with a distractor, whose names show in the system prompt, thoughts and lineage.
    static var withDistractor: ConversationRecord {
        let search = FunctionDefinition(
            name: "search", description: "Searches the web.", parameters: E.forecast.parameters,
            responses: E.forecast.responses)
        var record = E.sequential
        record.functions = [search, E.convert, E.forecast]
        record.tools = record.functions.map(ToolDefinition.init)
        record.messages[0].content = MultiTurnConversationGenerator.trainingSystemPrompt(tools: record.tools)
        record.messages[2].content =
            "1. Call get_forecast, not search. 2. Then celsius_to_fahrenheit; I search no further."
        record.lineage.subTaskFunctions = [["get_forecast"], ["celsius_to_fahrenheit"]]
        record.lineage.distractors = ["search"]
        return record
    }

    @Test func maskedNamesAreNeutralConsistentAndMapBack() throws {
        let original = Self.withDistractor
        let masked = try JSONCoding.decode(
            ConversationRecord.self,
            from: Data(try MaskingFormatter(base: RawFormatter()).line(for: original)))
        let names = masked.tools.map(\.function.name)
        #expect(names.allSatisfy { $0.range(of: #"^function_\d+$"#, options: .regularExpression) != nil })
        #expect(Set(names).count == 3)
        // The oracle: tools keep their order, so position pairs each new name with its old one.
        let back = Dictionary(uniqueKeysWithValues: zip(names, original.tools.map(\.function.name)))
        var restored = masked
        restored.tools = masked.tools.map { tool in
            var tool = tool
            tool.function.name = back[tool.function.name] ?? "?"
            return tool
        }
        restored.functions = masked.functions.map { function in
            var function = function
            function.name = back[function.name] ?? "?"
            return function
        }
        restored.messages = masked.messages.map { message in
            var message = message
            message.toolCalls = message.toolCalls?.map {
                ToolCall(id: $0.id, name: back[$0.function.name] ?? "?", arguments: $0.function.arguments)
            }
            var text = message.content
            // Longest first: function_1 is a prefix of function_10.
            for (new, old) in back.sorted(by: { $0.key.count > $1.key.count }) {
                text = text?.replacingOccurrences(of: "\"\(new)\"", with: "\"\(old)\"")
                    .replacingOccurrences(of: new, with: old)
            }
            message.content = text
            return message
        }
        restored.lineage.subTaskFunctions = masked.lineage.subTaskFunctions?.map { $0.map { back[$0] ?? "?" } }
        restored.lineage.distractors = masked.lineage.distractors?.map { back[$0] ?? "?" }
        #expect(restored == original)
        // The plain word stays a word; only its quoted, JSON form was a name.
        #expect(masked.messages[2].content?.contains("I search no further") == true)
        #expect(masked.messages[0].content?.contains("\"search\"") == false)
        // The same record masks the same way; another record numbers its names afresh.
        #expect(try MaskingFormatter(base: RawFormatter()).line(for: original) == RawFormatter().line(for: masked))
    }

    @Test func maskedFormatsStillPassTheirValidators() throws {
        let line = try MaskingFormatter(base: ShareGPTFormatter()).line(for: Self.clarify)
        try ShareGPTValidator.validate(line)
        #expect(!String(decoding: line, as: UTF8.self).contains("get_forecast"))
    }
}
