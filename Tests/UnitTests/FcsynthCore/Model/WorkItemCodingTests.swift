import Foundation
import Testing

@testable import FcsynthCore

@Suite struct WorkItemCodingTests {
    /// Written by the encoder before the candidate moved into a box: tasks queued by a worker of
    /// either build must read the same in the other.
    private static let judgeTask = """
        {"candidate":{"functions":[],"id":"r1","lineage":{"atom_task":"book a flight",\
        "composition_mode":"sequential","composition_task":"book a flight to Oslo","item_id":"r1","line":3,\
        "run":"demo","scenario":"travel","sub_tasks":["book"]},"messages":[{"content":"Fly me to Oslo",\
        "role":"user"}],"tools":[],"usage":{"completion_tokens":5,"prompt_tokens":7}},\
        "id":"r1","line":3,"scenario":"travel","usage":{"completion_tokens":5,"prompt_tokens":7}}
        """

    private static func item() -> WorkItem {
        var item = WorkItem(id: "r1", line: 3)
        item.scenario = "travel"
        item.usage = TokenUsage(promptTokens: 7, completionTokens: 5)
        let lineage = Lineage(
            run: "demo", line: 3, itemId: "r1", scenario: "travel", atomTask: "book a flight",
            compositionMode: .sequential, compositionTask: "book a flight to Oslo", subTasks: ["book"])
        item.candidate = ConversationRecord(
            id: "r1", messages: [OutputMessage(role: .user, content: "Fly me to Oslo")], tools: [], functions: [],
            lineage: lineage, usage: TokenUsage(promptTokens: 7, completionTokens: 5))
        return item
    }

    @Test func candidateEncodesAsTheBareRecord() throws {
        #expect(try JSONCoding.encodeString(Self.item()) == Self.judgeTask)
        #expect(String(decoding: try JSONCoding.encoder().encode(Self.item()), as: UTF8.self) == Self.judgeTask)
    }

    @Test func candidateRoundTrips() throws {
        let decoded = try JSONCoding.decode(WorkItem.self, from: Self.judgeTask)
        #expect(decoded == Self.item())
        #expect(decoded.candidate?.messages.first?.content == "Fly me to Oslo")
        #expect(try JSONDecoder().decode(WorkItem.self, from: Data(Self.judgeTask.utf8)) == Self.item())
    }

    @Test func noCandidateWritesNoKey() throws {
        var item = Self.item()
        item.candidate = nil
        let text = try JSONCoding.encodeString(item)
        #expect(!text.contains("candidate"))
        #expect(try JSONCoding.decode(WorkItem.self, from: text).candidate == nil)
    }
}
