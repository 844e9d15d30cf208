import Foundation
import Testing

@testable import FcsynthCore
@testable import FcsynthStages

@Suite struct PromptDataTests {
    @Test func serializesCompactlyWithSortedKeys() throws {
        let value = JSONValue.object([
            "b": .array([.number(1), .number(2.5), .bool(true), .null]), "a": .string("x/\"y\"\n"),
            "ü": .object([:]), "Z": .number(-3),
        ])
        let expected = #"{"Z":-3,"a":"x/\"y\"\n","b":[1,2.5,true,null],"ü":{}}"#
        #expect(PromptData.serialize(value) == expected)
        #expect(String(decoding: try JSONCoding.encoder().encode(value), as: UTF8.self) == expected)
        let tools = [ToolDefinition(StageFixtures.searchFlights), ToolDefinition(StageFixtures.bookFlight)]
        #expect(PromptData.serialize(.array(tools.map(\.json))) == (try JSONCoding.encodeString(tools)))
    }

    @Test func readsTheLastFencedBlock() {
        let text = "Intro\n```json\n{\"a\":1}\n```\nthen\n" + PromptData.block(["b": .bool(true)])
        #expect(PromptData.lastBlock(in: text) == .object(["b": .bool(true)]))
        #expect(PromptData.lastBlock(in: "no block") == nil)
        #expect(PromptData.lastBlock(in: "```json\n{\"a\":") == nil)
    }
}
