import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthLLMClient
@testable import FcsynthSimulatorServer
@testable import FcsynthStages

/// Every call asks for a bounded reply, and a reply the endpoint cut off at that bound
/// (finish_reason `length`) is a malformed reply the stage corrects and, when it stays cut,
/// filters, naming the cut; against the HTTP simulator, which stops at `max_tokens` as models do.
@Suite struct ReplyTokenLimitTests {
    static let item = WorkItem(
        id: "5", line: 5, seed: "user: I need to get to Oslo next month\nassistant: Happy to help.")

    static func extract(maxTokens: Int?) async throws -> (result: StageResult, stats: SimulatorStats) {
        let simulator = try await SimulatorProcess.start()
        defer { simulator.stop() }
        let client = try HTTPLLMClient(options: LLMClientOptions(baseURL: simulator.baseURL, model: "sim"))
        var settings = PipelineSettings()
        settings.maxTokens = maxTokens
        let context = StageContext(run: "bounded", settings: settings, llm: client)
        let result = try await ScenarioExtractor().process(item, context: context)
        return (result, try await simulator.stats())
    }

    @Test func aReplyCutAtTheLimitIsCorrectedThenFiltered() async throws {
        let (result, stats) = try await Self.extract(maxTokens: 3)
        guard case .filtered(let reason) = result.outcome else {
            Issue.record("a cut reply went through: \(result.outcome)")
            return
        }
        #expect(reason.contains("cut off at the token limit"), "\(reason)")
        // The first ask and both corrections reached the endpoint, each cut off.
        #expect(stats.count(call: "scenario_extract") == 1 + PipelineSettings().maxCorrections)
        #expect(result.llmCalls == stats.count(call: "scenario_extract"))
    }

    @Test func theDefaultBudgetLetsAWholeReplyThrough() async throws {
        let (result, stats) = try await Self.extract(maxTokens: nil)
        guard case .next(let tasks) = result.outcome else {
            Issue.record("\(result.outcome)")
            return
        }
        #expect(tasks.first?.item.scenario?.isEmpty == false)
        #expect(stats.count(call: "scenario_extract") == 1)
    }
}
