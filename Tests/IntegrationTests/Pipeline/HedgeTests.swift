import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline
@testable import FcsynthSimulatorServer

extension PipelineIntegrationTests {
    /// `--hedge-after-ms`: a call still unanswered when the worker has nothing else for its slots
    /// goes out once more, and the first answer is taken.
    @Suite struct HedgeTests {
        @Test func aHedgeAnswersForACallThatHangsWhileSlotsAreIdle() async throws {
            let fixture = try PipelineFixture()
            let simulator = try await fixture.simulatorProcess([])
            let run = TestEnvironment.uniqueName("run")
            // The first request that carries the token hangs; the same request again is answered.
            var row = try #require(SeedRows.examples.first)
            row["id"] = .string("hedged")
            row["chat"] = .string(
                (row["chat"]?.stringValue ?? "") + "\n\nUSER: [[sim:hang*1#\(UUID().uuidString)]] Thanks!")
            let rows = fixture.file("rows.jsonl")
            try (try JSONCoding.encodeString(JSONValue.object(row)) + "\n").write(
                to: rows, atomically: true, encoding: .utf8)
            try await fixture.enqueue(rows, run: run)

            // Without the hedge the hung call would wait out this timeout, then be retried.
            var environment = fixture.environment
            environment["FCSYNTH_LLM_TIMEOUT"] = "600"
            let worker = try fixture.startWorker(
                llm: .http(baseURL: simulator.baseURL), concurrency: 4, extraArguments: ["--hedge-after-ms", "2000"],
                environment: environment)
            let status = try await fixture.waitUntilComplete(run, timeout: 120)
            #expect(try await fixture.stop(worker) == 0)

            status.expectAccounted()
            #expect(status.dead == 0 && status.stages.values.allSatisfy { $0.retried == 0 }, "\(status.stages)")
            let stats = try await simulator.stats()
            #expect(stats.count(fault: .hang) == 1)
            // The stages counted each call once; the simulator saw the hedge as well (and any other
            // call a loaded machine kept past 2 s).
            let calls = status.stages.values.reduce(0) { $0 + $1.llmCalls }
            #expect(calls > 0 && stats.requestsTotal >= calls + 1, "\(stats.requestsTotal) requests, \(calls) calls")
        }
    }
}
