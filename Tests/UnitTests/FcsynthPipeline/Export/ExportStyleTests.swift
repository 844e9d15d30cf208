import Foundation
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline
@testable import FcsynthStages

/// The layout options: the tool list once, the thought kept in ShareGPT, parallel results
/// joined, `parallel_tool_calls`, and the dataset_info entry.
@Suite struct ExportStyleTests {
    private static let instruction =
        "You are a helpful assistant with access to the functions below. Call them when they help with the user's request, and answer in plain words once you have what you need."

    /// `record` with the training system prompt the pipeline writes.
    private static func trained(_ record: ConversationRecord) -> ConversationRecord {
        var record = record
        record.messages[0].content = MultiTurnConversationGenerator.trainingSystemPrompt(tools: record.tools)
        return record
    }

    private static func object(_ line: [UInt8]) throws -> JSONValue {
        try JSONCoding.decode(JSONValue.self, from: Data(line))
    }

    private static func style(_ change: (inout ExportStyle) -> Void) -> ExportStyle {
        var style = ExportStyle()
        change(&style)
        return style
    }

    @Test func theSystemPromptLosesItsToolListUnlessAskedToKeepIt() throws {
        let record = Self.trained(ExportFixtures.sequential)
        let prompt = try #require(record.messages[0].content)
        #expect(prompt.contains("get_forecast"))
        let openai = try Self.object(OpenAIFormatter().line(for: record))
        #expect(openai["messages"]?.arrayValue?.first?["content"] == .string(Self.instruction))
        #expect(openai["tools"]?.arrayValue?.count == 2)
        let sharegpt = try Self.object(ShareGPTFormatter().line(for: record))
        #expect(sharegpt["system"] == .string(Self.instruction))

        let kept = Self.style { $0.systemPromptTools = true }
        let old = try Self.object(OpenAIFormatter(style: kept).line(for: record))
        #expect(old["messages"]?.arrayValue?.first?["content"] == .string(prompt))
        #expect(try Self.object(ShareGPTFormatter(style: kept).line(for: record))["system"] == .string(prompt))
        // A system prompt of another form is the user's: kept as it is.
        let custom = try Self.object(OpenAIFormatter().line(for: ExportFixtures.sequential))
        #expect(custom["messages"]?.arrayValue?.first?["content"] == .string(ExportFixtures.systemPrompt))
    }

    @Test func openAILinesSayWhenTheRunForbadeParallelCalls() throws {
        var record = ExportFixtures.sequential
        for (setting, expected) in [(false, JSONValue.bool(false)), (true, nil), (nil, nil)] as [(Bool?, JSONValue?)] {
            record.lineage.parallelToolCalls = setting
            #expect(try Self.object(OpenAIFormatter().line(for: record))["parallel_tool_calls"] == expected)
        }
    }

    @Test func theThoughtComesBeforeAToolCallBlockAndReadsBack() throws {
        let line = try ShareGPTFormatter(style: Self.style { $0.shareGPTThought = true }).line(
            for: ExportFixtures.sequential)
        let turns = try #require(try Self.object(line)["conversations"]?.arrayValue)
        #expect(
            turns[1]["value"]
                == .string(
                    "1. Get the forecast. 2. Convert the high.\n<tool_call>"
                        + #"{"name":"get_forecast","arguments":{"city": "Lisbon", "date": "2024-06-01"}}</tool_call>"#))
        // A call with no thought stays plain JSON.
        #expect(turns[3]["value"] == .string(#"{"name":"celsius_to_fahrenheit","arguments":{"celsius":24}}"#))
        try ShareGPTValidator.validate(line)
        let read = try DatasetLineReader.read(line).conversation.messages
        #expect(read[2].content == "1. Get the forecast. 2. Convert the high.")
        #expect(read[2].toolCalls?.map(\.function.name) == ["get_forecast"])
    }

    @Test func aThoughtHoldingAToolCallTagIsRefusedRatherThanMisread() {
        var record = ExportFixtures.sequential
        record.messages[2].content = "I will write <tool_call> myself."
        let thought = ShareGPTFormatter(style: Self.style { $0.shareGPTThought = true })
        #expect(
            throws: ExportError(
                format: .sharegpt, recordId: "seq",
                reason: "a thought holds a <tool_call> tag, which --sharegpt-thought cannot keep apart")
        ) { try thought.line(for: record) }
        #expect(throws: Never.self) { try ShareGPTFormatter().line(for: record) }
    }

    @Test func aToolCallBlockLeftOpenIsRefused() {
        let line = Array(
            #"{"conversations":[{"from":"human","value":"x"},{"from":"function_call","value":"plan <tool_call>{\"name\":\"f\",\"arguments\":{}}"}],"system":"","tools":"[]"}"#
                .utf8)
        #expect(throws: ShareGPTViolation("function_call turn 2 opens <tool_call> but does not close it")) {
            try ShareGPTValidator.validate(line)
        }
    }

    @Test func parallelResultsJoinAsToolResponsesAndReadBack() throws {
        let line = try ShareGPTFormatter(style: Self.style { $0.shareGPTResults = .toolResponse }).line(
            for: ExportFixtures.parallel)
        let turns = try #require(try Self.object(line)["conversations"]?.arrayValue)
        #expect(turns[2]["value"] == .string("sunny, 19 C\n</tool_response>\n<tool_response>\n{\"high_c\": 31}"))
        let read = try DatasetLineReader.read(line).conversation.messages
        #expect(read.filter { $0.role == .tool }.map(\.content) == ["sunny, 19 C", #"{"high_c": 31}"#])
        // The default stays the JSON list.
        let list = try Self.object(ShareGPTFormatter().line(for: ExportFixtures.parallel))
        #expect(list["conversations"]?.arrayValue?[2]["value"] == .string(#"["sunny, 19 C",{"high_c": 31}]"#))
    }

    @Test func theDatasetInfoEntryIsAddedBesideTheOthers() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("info-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let info = folder.appendingPathComponent("dataset_info.json").path
        try Data(#"{"mine": {"file_name": "mine.json"}}"#.utf8).write(to: URL(fileURLWithPath: info))
        let data = folder.appendingPathComponent("sub/calls.jsonl").path
        #expect(DatasetInfoEntry.reference(to: data, from: info) == "sub/calls.jsonl")
        #expect(DatasetInfoEntry.reference(to: "/elsewhere/calls.jsonl", from: info) == "/elsewhere/calls.jsonl")
        let entry = try DatasetInfoEntry(
            format: .sharegpt, name: DatasetInfoEntry.defaultName(for: data),
            dataFile: DatasetInfoEntry.reference(to: data, from: info))
        try entry.write(into: info)
        let written = try JSONCoding.decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: info)))
        #expect(written["mine"]?["file_name"] == .string("mine.json"))
        #expect(written["calls"]?["formatting"] == .string("sharegpt"))
        #expect(written["calls"]?["columns"]?["tools"] == .string("tools"))
        #expect(written["calls"]?["tags"]?.objectValue?.count == 7)

        try Data("[1]".utf8).write(to: URL(fileURLWithPath: info))
        #expect(throws: DatasetInfoError("\(info): not a JSON object, so not a dataset_info.json to add to")) {
            try entry.write(into: info)
        }
        #expect(throws: DatasetInfoError.self) { try DatasetInfoEntry(format: .raw, name: "x", dataFile: "x") }
    }
}
