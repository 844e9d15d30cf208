import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

extension PipelineIntegrationTests {
    /// An endpoint that reports no usage still gets its tokens counted, by estimate, and the
    /// run says how many of its tokens are estimates.
    @Suite struct UsageEstimateTests {
        @Test(arguments: [true, false])
        func tokensAnEndpointDoesNotReportAreEstimatedAndMarked(omitted: Bool) async throws {
            let fixture = try PipelineFixture()
            let llm = try await fixture.simulator(omitted ? ["--omit-usage"] : [])
            let run = TestEnvironment.uniqueName("usage")
            try await fixture.enqueue(try SeedRows.write(4, to: fixture.file("rows.jsonl")), run: run, ["--no-judge"])
            let worker = try fixture.startWorker(runs: [run], llm: llm)
            let status = try await fixture.waitUntilComplete(run, timeout: 120)
            status.expectAccounted()
            let total = status.promptTokens + status.completionTokens
            #expect(total > 0 && status.output > 0)
            #expect(status.tokensEstimated == (omitted ? total : 0), "\(status.tokensEstimated) of \(total)")
            // The budget is charged the estimate too, and says so.
            #expect(status.spend.chargedTokens == total && status.spend.estimatedShare == (omitted ? 1 : 0))
            let table = try await fixture.fcsynth(["status", "--run", run])
            #expect(table.output.contains("estimated: the endpoint reported no usage") == omitted, "\(table.output)")
            for entry in try await fixture.stream(run) {
                let record = try JSONCoding.decode(ConversationRecord.self, from: entry.record)
                #expect(record.usage.totalTokens > 0)
            }
            #expect(try await fixture.stop(worker) == 0)
        }
    }
}
