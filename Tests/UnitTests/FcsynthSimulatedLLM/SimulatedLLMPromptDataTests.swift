import Foundation
import Testing

@testable import FcsynthCore
@testable import FcsynthSimulatedLLM
@testable import FcsynthStages

/// How the simulator reads and writes prompt data.
@Suite struct SimulatedLLMPromptDataTests {
    private func parsed(_ text: String) -> JSONValue? {
        Array(text.utf8).withUnsafeBufferPointer { JSONParser.parse(bytes: $0) }
    }

    @Test(arguments: ["", "{", #"{"a":}"#, "[1,]", "01", "tru", #""\x""#, "{} {}", #""\ud800 alone""#])
    func refusesWhatIsNotOneJSONValue(_ text: String) {
        #expect(parsed(text) == nil)
    }

    @Test func findsTheLastBlock() {
        let data: [String: JSONValue] = ["task": .string("Book a flight ```json\n{} and a hotel"), "n": .number(3)]
        let cases: [(String, JSONValue?)] = [
            (
                "Intro\n" + PromptData.block(["old": .bool(true)]) + "\nThen\n" + PromptData.block(data)
                    + "\nTrailing words.", .object(data)
            ),
            (PromptData.block(data), .object(data)),
            ("no block here", nil),
            ("```json\n{\"open\": 1}", nil),
            ("```json\nnot json\n```", nil),
            ("é ü 😀 " + PromptData.block(["ünïcode": .string("😀")]), .object(["ünïcode": .string("😀")])),
        ]
        for (text, expected) in cases {
            #expect(PromptData.lastBlock(in: text) == expected, "\(text)")
        }
    }

    @Test func repliesWithTheBytesPromptDataWouldWrite() throws {
        let request = ChatRequest(
            call: StageName.scenarioExtract.rawValue,
            messages: [
                .system("Extract."), .user("Seed:\n" + PromptData.block(["seed": .string("USER: book a table")])),
            ])
        let reply = SimulatedLLM().reply(to: request)
        let value = try JSONCoding.decode(JSONValue.self, from: reply)
        #expect(reply == PromptData.serialize(value))
    }
}
