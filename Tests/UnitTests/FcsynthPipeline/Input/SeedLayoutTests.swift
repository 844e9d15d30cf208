import Foundation
import Testing

@testable import FcsynthPipeline

/// Seed rows as people have them: OpenAI-style `messages`, ShareGPT `conversations`, and a
/// dialogue under a nested key, each rendered into the glaive-style chat text.
@Suite struct SeedLayoutTests {
    private func seed(_ row: String, key: String = "chat") -> Result<String, RowRejection> {
        RowValidator(inputKey: key, maxRowBytes: 1 << 20, layout: .jsonLines).seed(
            of: InputRecord(
                number: 4, line: 4, bytes: Array(row.utf8), oversize: nil, endOffset: 0, digest: InputDigest()))
    }

    private func reason(_ row: String, key: String = "chat") -> String? {
        if case .failure(let rejection) = seed(row, key: key) { return rejection.reason }
        return nil
    }

    private static let glaive =
        "USER: Weather in Oslo?\n\n\nASSISTANT: <functioncall> {\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\",\"name\":\"get_weather\"}"
        + "\n\n\nFUNCTION RESPONSE: {\"temp\":4}\n\n\nASSISTANT: It is 4 degrees."

    @Test func openAIMessagesBecomeTheChatText() throws {
        let row = #"""
            {"messages": [{"role": "system", "content": ""}, {"role": "user", "content": "Weather in Oslo?"},
            {"role": "assistant", "content": null, "tool_calls": [{"id": "c1", "type": "function",
            "function": {"name": "get_weather", "arguments": "{\"city\":\"Oslo\"}"}}]},
            {"role": "tool", "tool_call_id": "c1", "content": "{\"temp\":4}"},
            {"role": "assistant", "content": [{"type": "text", "text": "It is 4 degrees."}]}]}
            """#
        #expect(try seed(row.replacingOccurrences(of: "\n", with: " ")).get() == Self.glaive)
    }

    @Test func shareGPTConversationsBecomeTheChatText() throws {
        let row = #"""
            {"conversations": [{"from": "human", "value": "Weather in Oslo?"},
            {"from": "function_call", "value": "{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}"},
            {"from": "observation", "value": "{\"temp\":4}"}, {"from": "gpt", "value": "It is 4 degrees."}]}
            """#
        #expect(
            try seed(row.replacingOccurrences(of: "\n", with: " ")).get()
                == "USER: Weather in Oslo?\n\n\nASSISTANT: <functioncall> {\"name\": \"get_weather\", \"arguments\": "
                + "{\"city\": \"Oslo\"}}\n\n\nFUNCTION RESPONSE: {\"temp\":4}\n\n\nASSISTANT: It is 4 degrees.")
    }

    @Test func aDottedInputKeyIsAPath() throws {
        #expect(try seed(#"{"data": {"dialogue": "USER: hi"}}"#, key: "data.dialogue").get() == "USER: hi")
        #expect(
            try seed(#"{"data": {"dialogue": [{"from": "human", "value": "hi"}]}}"#, key: "data.dialogue").get()
                == "USER: hi")
        // A field whose name holds the dot wins over the path.
        #expect(
            try seed(#"{"data.dialogue": "flat", "data": {"dialogue": "nested"}}"#, key: "data.dialogue").get()
                == "flat")
        #expect(
            reason(#"{"data": {"text": "x"}}"#, key: "data.dialogue")?.contains("no \"data.dialogue\" field") == true)
    }

    @Test func onlyTheDefaultKeyFallsBackToTheOtherLayouts() {
        #expect(reason(#"{"messages": [{"role": "user", "content": "hi"}]}"#) == nil)
        #expect(reason(#"{"messages": [{"role": "user", "content": "hi"}]}"#, key: "dialogue") != nil)
        #expect(
            reason(#"{"text": "hi"}"#)
                == #"no "chat" field (the input key; set it with --input-key), nor "messages" or "conversations""#)
    }

    @Test(arguments: [
        (#"{"messages": []}"#, #""messages" is an empty list"#),
        (#"{"messages": [{"role": "user", "content": "a"}, 3]}"#, #""messages" turn 2 is not an object"#),
        (#"{"messages": [{"role": "critic", "content": "a"}]}"#, #""messages" turn 1 has the role "critic""#),
        (#"{"conversations": [{"from": "bot", "value": "a"}]}"#, #""conversations" turn 1 is from "bot""#),
        (#"{"messages": [{"content": "a"}]}"#, #""messages" turn 1 has neither "role""#),
        (#"{"chat": 5}"#, #""chat" must be a string, not a number"#),
    ])
    func badTurnsAreRejectedWithTheTurn(_ row: String, expected: String) throws {
        let found = try #require(reason(row), "\(row) was accepted")
        #expect(found.hasPrefix(expected), "\(found)")
        if case .failure(let rejection) = seed(row) { #expect(rejection.description.hasPrefix("line 4: ")) }
    }
}
