import Foundation
import Testing
@testable import Shared

/// The simulator's own reading of prompt data agrees with `PromptData`.
@Suite struct SimulatedLLMPromptDataTests {
    private func parsed(_ text: String) -> JSONValue? {
        Array(text.utf8).withUnsafeBufferPointer { JSONParser.parse(bytes: $0) }
    }

    @Test(arguments: ["", "{", #"{"a":}"#, "[1,]", "01", "tru", #""\x""#, "{} {}", #""\ud800 alone""#])
    func refusesWhatIsNotOneJSONValue(_ text: String) {
        #expect(parsed(text) == nil)
    }

    @Test func findsTheLastBlockAsPromptDataDoes() {
        let data: [String: JSONValue] = ["task": .string("Book a flight ```json\n{} and a hotel"), "n": .number(3)]
        let texts = [
            "Intro\n" + PromptData.block(["old": .bool(true)]) + "\nThen\n" + PromptData.block(data) + "\nTrailing words.",
            PromptData.block(data), "no block here", "```json\n{\"open\": 1}", "```json\nnot json\n```",
            "é ü 😀 " + PromptData.block(["ünïcode": .string("😀")]),
        ]
        for text in texts {
            #expect(SimulatedLLM.promptData(in: text) == PromptData.lastBlock(in: text), "\(text)")
        }
    }

    @Test func repliesWithTheBytesPromptDataWouldWrite() throws {
        let request = ChatRequest(call: StageName.scenarioExtract.rawValue,
                                  messages: [.system("Extract."), .user("Seed:\n" + PromptData.block(["seed": .string("USER: book a table")]))])
        let reply = SimulatedLLM().reply(to: request)
        let value = try JSONCoding.decode(JSONValue.self, from: reply)
        #expect(reply == PromptData.serialize(value))
    }
}
