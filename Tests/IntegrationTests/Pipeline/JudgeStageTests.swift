import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline
@testable import FcsynthStages

extension PipelineIntegrationTests {
    /// The judge stage in the whole pipeline: its own queue, calls, scores in lineage and
    /// status, and a filter on its threshold.
    @Suite struct JudgeStageTests {
        @Test func judgesOnItsOwnEndpointAndModelAndRecordsTheScores() async throws {
            let fixture = try PipelineFixture()
            let generator = try await fixture.simulatorProcess([])
            let judge = try await fixture.simulatorProcess([])
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(try SeedRows.write(10, to: fixture.file("rows.jsonl")), run: run)
            let worker = try fixture.startWorker(
                llm: .http(baseURL: generator.baseURL), concurrency: 8,
                extraArguments: ["--judge-llm-url", judge.baseURL, "--judge-model", "strict-judge"])
            let status = try await fixture.waitUntilComplete(run, timeout: 120)
            status.expectAccounted()
            #expect(try await fixture.stop(worker) == 0)

            let judged = try #require(status.stages[StageName.judge.rawValue])
            #expect(judged.done == status.output + judged.filtered)
            #expect(judged.done > 0)
            #expect(judged.llmCalls == judged.done)
            // Every judged item is counted once under each criterion.
            for criterion in JudgeCriterion.allCases {
                let histogram = try #require(status.judgeScores[criterion.rawValue], "\(criterion)")
                #expect(histogram.values.reduce(0, +) == judged.done, "\(criterion): \(histogram)")
                #expect(histogram.keys.allSatisfy { Int($0).map(JudgeScore.range.contains) == true })
            }
            // The judge's calls went to its endpoint only, and none of the others did.
            #expect(try await judge.stats().count(call: StageName.judge.rawValue) == judged.llmCalls)
            #expect(try await judge.stats().requestsTotal == judged.llmCalls)
            #expect(try await generator.stats().count(call: StageName.judge.rawValue) == 0)

            let judgePort = try #require(URLComponents(string: judge.baseURL)?.port)
            let records = try await fixture.export(run, format: .raw).map {
                try JSONCoding.decode(ConversationRecord.self, from: Data($0))
            }
            #expect(records.count == status.output)
            for record in records {
                let verdict = try #require(record.lineage.judge, "record \(record.id) was not judged")
                #expect(Set(verdict.scores.keys) == Set(JudgeCriterion.allCases))
                #expect(verdict.threshold == 3)
                #expect(verdict.scores.values.allSatisfy { $0.score >= 3 && !$0.reason.isEmpty })
                #expect(record.lineage.checks?[StageName.judge.rawValue]?.outcome == .pass)
                let provenance = try #require(record.lineage.provenance)
                #expect(provenance.models[StageName.judge.rawValue] == "fcsynth-simulated/strict-judge")
                #expect(provenance.models["conv_assistant"] == "fcsynth-simulated/simulated")
                #expect(provenance.judgeEndpoint == "127.0.0.1:\(judgePort)")
            }
        }

        @Test func scoresBelowTheThresholdFilterWithTheirReasons() async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("run")
            // The simulated judge gives sound conversations 4 or 5 on each criterion, so a
            // threshold of 5 filters every item with a 4 anywhere.
            try await fixture.enqueue(
                try SeedRows.write(16, to: fixture.file("rows.jsonl")), run: run, ["--min-judge-score", "5"])
            let worker = try fixture.startWorker(concurrency: 8)
            let status = try await fixture.waitUntilComplete(run, timeout: 120)
            status.expectAccounted()
            #expect(try await fixture.stop(worker) == 0)

            let judged = try #require(status.stages[StageName.judge.rawValue])
            #expect(judged.filtered > 0)
            #expect(judged.done == status.output + judged.filtered)
            let fours = JudgeCriterion.allCases.map { status.judgeScores[$0.rawValue]?["4"] ?? 0 }
            // Each filtered item has at least one 4, and no item has more fours than criteria.
            #expect(fours.reduce(0, +) >= judged.filtered)
            #expect(fours.reduce(0, +) <= judged.filtered * JudgeCriterion.allCases.count)

            let removed = try await fixture.redis.send("LRANGE", fixture.keys(run).filtered, "0", "-1")
            let reasons = (removed.array ?? []).compactMap { $0.string }.compactMap {
                try? JSONCoding.decode(RemovedItem.self, from: Data($0.utf8))
            }.filter { $0.stage == StageName.judge.rawValue }.map(\.reason)
            #expect(reasons.count == judged.filtered)
            for reason in reasons {
                #expect(reason.hasPrefix("judge: scored below 5: "), "\(reason)")
                #expect(reason.contains(" 4 ("), "\(reason)")
            }
            for line in try await fixture.export(run, format: .raw) {
                let record = try JSONCoding.decode(ConversationRecord.self, from: Data(line))
                #expect(record.lineage.judge?.scores.values.allSatisfy { $0.score == 5 } == true)
            }
        }

        @Test func aRunWithoutTheJudgeOutputsUnjudgedRecords() async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(try SeedRows.write(6, to: fixture.file("rows.jsonl")), run: run, ["--no-judge"])
            let worker = try fixture.startWorker(concurrency: 8)
            let status = try await fixture.waitUntilComplete(run, timeout: 90)
            status.expectAccounted()
            #expect(try await fixture.stop(worker) == 0)
            #expect(status.output > 0)
            #expect(status.stages[StageName.judge.rawValue]?.done == 0)
            #expect(status.judgeScores.isEmpty)
            for line in try await fixture.export(run, format: .raw) {
                let record = try JSONCoding.decode(ConversationRecord.self, from: Data(line))
                #expect(record.lineage.judge == nil)
                #expect(record.lineage.checks?[StageName.judge.rawValue] == nil)
            }
        }
    }
}
