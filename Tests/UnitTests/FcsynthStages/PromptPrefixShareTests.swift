import Foundation
import Testing

@testable import FcsynthCore
@testable import FcsynthSimulatedLLM
@testable import FcsynthStages

/// Every stage's prompt opens with its fixed instructions and ends with the item's data, so
/// that prefix caches (providers', vLLM's, SGLang's) serve the instructions; measured on the
/// example seed chats run through every stage with the simulated model. `swift test --filter
/// PromptPrefixShareTests` prints the table docs/performance.md quotes.
@Suite struct PromptPrefixShareTests {
    /// The example rows through every stage, one task at a time, each call recorded.
    static func requests() async throws -> [ChatRequest] {
        let recorder = PromptRecordingLLM(base: SimulatedLLM())
        let context = StageContext(run: "prefix", settings: PipelineSettings(), llm: recorder)
        let lines = try String(contentsOf: Repository.seedChats, encoding: .utf8).split(separator: "\n")
        var pending: [StageTask] = try lines.enumerated().map { index, line in
            let row = try JSONCoding.decode([String: JSONValue].self, from: String(line))
            let item = WorkItem(id: String(index + 1), line: index + 1, seed: row["chat"]?.stringValue ?? "")
            return StageTask(stage: .scenarioExtract, item: item)
        }
        while !pending.isEmpty {
            let task = pending.removeFirst()
            let result = try await StageCatalog.stage(task.stage).process(task.item, context: context)
            if case .next(let tasks) = result.outcome { pending += tasks }
        }
        return recorder.requests
    }

    @Test func theFixedInstructionsComeFirstInEveryCall() async throws {
        var share = PromptPrefixShare()
        for request in try await Self.requests() { share.add(request) }
        print("prompt prefix share per call (requests, prompt KB, shared share, cacheable share):")
        for (call, tally) in share.calls.sorted(by: { $0.key < $1.key }) {
            print(
                "  \(call): \(tally.requests), \(tally.bytes / 1024), "
                    + "\(String(format: "%.3f", tally.share)), \(String(format: "%.3f", tally.cacheableShare))")
        }
        let total = share.total
        print(
            "  total: \(total.requests), \(total.bytes / 1024), \(String(format: "%.3f", total.share)), "
                + "\(String(format: "%.3f", total.cacheableShare))")
        #expect(share.calls.count >= 10, "calls seen: \(share.calls.keys.sorted())")
        // Data before the instructions would leave only the short system message shared: under 10%
        // for every call here.
        for (call, tally) in share.calls {
            #expect(tally.share >= 0.4, "\(call): \(tally.share) of its prompt bytes shared")
        }
        // The assistant agent's dialogue grows turn by turn behind its instructions.
        #expect((share.calls["conv_assistant"]?.share ?? 0) >= 0.85)
    }

    /// The neighbour search against every pair compared.
    @Test func theSharedPrefixIsTheLongestWithAnyEarlierRequest() {
        let prompts = ["abcdef", "abxyz", "abcdzz", "q", "abcdefgh", "abx", "", "zz", "abcdeq"]
        var share = PromptPrefixShare()
        var expected = 0
        var seen: [[UInt8]] = []
        for prompt in prompts {
            let request = ChatRequest(call: "c", messages: [.user(prompt)])
            let bytes = PromptPrefixShare.bytes(of: request)
            expected += seen.map { zip($0, bytes).prefix { $0 == $1 }.count }.max() ?? 0
            seen.append(bytes)
            share.add(request)
        }
        #expect(share.calls["c"]?.shared == expected)
        #expect(share.calls["c"]?.requests == prompts.count)
    }
}
