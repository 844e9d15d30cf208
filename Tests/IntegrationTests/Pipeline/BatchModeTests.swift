import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

extension PipelineIntegrationTests {
    /// `--llm-mode batch` end to end: workers park tasks, one leader submits their requests to
    /// the HTTP simulator's Batch API, and the answers bring the tasks back. The simulator's own
    /// counts are the oracle for what was asked online and in batches.
    @Suite struct BatchModeTests {
        static let prices = ["--price-prompt-per-million", "1", "--price-completion-per-million", "2"]

        static func records(_ fixture: PipelineFixture, _ run: String) async throws -> [ConversationRecord] {
            try await fixture.stream(run).map { try JSONCoding.decode(ConversationRecord.self, from: $0.record) }
        }

        static func calls(_ status: RunStatus) -> Int { status.stages.values.reduce(0) { $0 + $1.llmCalls } }

        /// The shape of a record: its JSON's paths with the kinds of their values, arrays' items
        /// merged, and the provenance fields that say how the answers were asked left out.
        static func form(_ value: JSONValue, at path: String = "") -> Set<String> {
            switch value {
            case .object(let fields):
                var paths: Set<String> = [path + "{}"]
                for (name, child) in fields where !["batch_calls", "cached_calls"].contains(name) {
                    paths.formUnion(form(child, at: path + "." + name))
                }
                return paths
            case .array(let items): return items.reduce(into: [path + "[]"]) { $0.formUnion(form($1, at: path + "[]")) }
            case .string: return [path + ":string"]
            case .number: return [path + ":number"]
            case .bool: return [path + ":bool"]
            case .null: return [path + ":null"]
            }
        }

        @Test func aBatchRunCompletesWithEveryItemAccountedAndRecordsShapedAsOnline() async throws {
            let fixture = try PipelineFixture()
            let simulator = try await fixture.simulatorProcess(["--batch-turnaround-ms", "200"])
            let rows = try SeedRows.write(120, to: fixture.file("rows.jsonl"))
            let llm = WorkerLLM.http(baseURL: simulator.baseURL)
            let workers = try (0..<2).map { _ in try fixture.startWorker(llm: llm, concurrency: 32) }

            let batchRun = TestEnvironment.uniqueName("batch")
            let batchStarted = ContinuousClock.now
            try await fixture.enqueue(
                rows, run: batchRun, ["--llm-mode", "batch", "--batch-window", "5"] + Self.prices)
            let batched = try await fixture.waitUntilComplete(batchRun, timeout: 120)
            let batchWall = (ContinuousClock.now - batchStarted) / .seconds(1)
            batched.expectAccounted()
            let afterBatch = try await simulator.stats()
            #expect(afterBatch.requestsTotal == 0, "a batch run asked \(afterBatch.requestsTotal) calls online")
            #expect(afterBatch.batchRequests == Self.calls(batched), "a batch line was paid for twice, or not counted")
            #expect(batched.output > 0)
            let side = try #require(batched.batch)
            #expect(side.openBatches == 0 && side.pending == 0 && side.parked == 0)
            #expect(side.rounds >= 6, "every round of a chain is a batch: \(side.rounds) rounds")
            #expect(side.rounds == afterBatch.batches)
            #expect(side.calls == Self.calls(batched) && side.answered == side.calls)
            #expect(side.tokens == batched.promptTokens + batched.completionTokens)
            // The oracle: the run's tokens at the stored prices, halved.
            let online = (Double(batched.promptTokens) * 1 + Double(batched.completionTokens) * 2) / 1e6
            let cost = try #require(batched.spend.cost)
            #expect(abs(cost - online / 2) < 1e-6, "cost \(cost), online \(online)")
            #expect(abs((side.onlineCost ?? 0) - online) < 1e-6)

            let onlineRun = TestEnvironment.uniqueName("online")
            let onlineStarted = ContinuousClock.now
            try await fixture.enqueue(rows, run: onlineRun, Self.prices)
            let answered = try await fixture.waitUntilComplete(onlineRun, timeout: 120)
            let onlineWall = (ContinuousClock.now - onlineStarted) / .seconds(1)
            answered.expectAccounted()
            // The figures docs/performance.md quotes, for the same rows both ways.
            print(
                "BATCH rows=120 turnaround_ms=200 rounds=\(side.rounds) batch_calls=\(Self.calls(batched)) "
                    + "online_calls=\(Self.calls(answered)) "
                    + "batch_tokens=\(batched.promptTokens + batched.completionTokens) "
                    + "online_tokens=\(answered.promptTokens + answered.completionTokens) "
                    + String(
                        format: "batch_cost=%.6f online_cost=%.6f batch_wall_s=%.1f online_wall_s=%.1f",
                        batched.spend.cost ?? 0, answered.spend.cost ?? 0, batchWall, onlineWall))
            #expect(answered.batch == nil)
            #expect(try await simulator.stats().batchRequests == afterBatch.batchRequests)

            let batchRecords = try await Self.records(fixture, batchRun)
            let onlineRecords = try await Self.records(fixture, onlineRun)
            for record in batchRecords {
                let provenance = try #require(record.lineage.provenance)
                let batchCalls = provenance.batchCalls?.values.reduce(0, +) ?? 0
                #expect(batchCalls >= 6, "\(record.id) says \(batchCalls) batch calls")
                #expect(provenance.backend == .http && !provenance.models.isEmpty)
            }
            #expect(onlineRecords.allSatisfy { $0.lineage.provenance?.batchCalls == nil })
            let batchForm = try batchRecords.reduce(into: Set<String>()) {
                $0.formUnion(Self.form(try JSONCoding.decode(JSONValue.self, from: JSONCoding.encode($1))))
            }
            let onlineForm = try onlineRecords.reduce(into: Set<String>()) {
                $0.formUnion(Self.form(try JSONCoding.decode(JSONValue.self, from: JSONCoding.encode($1))))
            }
            #expect(batchForm == onlineForm, "only in batch: \(batchForm.subtracting(onlineForm).sorted())")
            for worker in workers { try await fixture.stop(worker) }
            try await fixture.expectOnlyRunKeys()
        }

        @Test func onlineAfterSendsAnItemsLaterCallsOnline() async throws {
            let fixture = try PipelineFixture()
            let simulator = try await fixture.simulatorProcess(["--batch-turnaround-ms", "100"])
            let rows = try SeedRows.write(20, to: fixture.file("rows.jsonl"))
            _ = try fixture.startWorker(llm: .http(baseURL: simulator.baseURL), concurrency: 16)
            let run = TestEnvironment.uniqueName("mixed")
            try await fixture.enqueue(rows, run: run, ["--llm-mode", "batch", "--online-after", "2"])
            let status = try await fixture.waitUntilComplete(run, timeout: 120)
            status.expectAccounted()
            let stats = try await simulator.stats()
            #expect(stats.batchRequests > 0 && stats.requestsTotal > 0)
            #expect(stats.batchRequests + stats.requestsTotal == Self.calls(status))
            // Each item waits two rounds at most: its first two stages' calls.
            #expect(stats.batchRequests <= 2 * status.items)
            for record in try await Self.records(fixture, run) {
                let batchCalls = record.lineage.provenance?.batchCalls?.values.reduce(0, +) ?? 0
                #expect(batchCalls > 0 && batchCalls <= 2, "\(record.id): \(batchCalls) batch calls")
            }
        }

        @Test func failedAndExpiredLinesGoIntoLaterBatchesAndTheRunCompletes() async throws {
            let fixture = try PipelineFixture()
            let simulator = try await fixture.simulatorProcess([
                "--batch-turnaround-ms", "100", "--batch-failure-rate", "0.1", "--batch-expire-rate", "0.3",
            ])
            let rows = try SeedRows.write(40, to: fixture.file("rows.jsonl"))
            _ = try fixture.startWorker(llm: .http(baseURL: simulator.baseURL), concurrency: 16)
            let run = TestEnvironment.uniqueName("faulty")
            try await fixture.enqueue(rows, run: run, ["--llm-mode", "batch", "--max-attempts", "8"])
            let status = try await fixture.waitUntilComplete(run, timeout: 120)
            status.expectAccounted()
            let side = try #require(status.batch)
            #expect(side.retried > 0, "no line failed or expired: the faults were not injected")
            #expect(status.dead == 0, "a request failed every one of its 8 batches")
            #expect(side.answered == Self.calls(status))
            #expect(try await simulator.stats().batchRequests == Self.calls(status))
            #expect(status.output > 0)
        }

        @Test func aRequestTheBatchesAlwaysFailEndsDeadWithTheProvidersError() async throws {
            let fixture = try PipelineFixture()
            let simulator = try await fixture.simulatorProcess([
                "--batch-turnaround-ms", "50", "--batch-failure-rate", "1",
            ])
            let rows = try SeedRows.write(3, to: fixture.file("rows.jsonl"))
            _ = try fixture.startWorker(llm: .http(baseURL: simulator.baseURL), concurrency: 4)
            let run = TestEnvironment.uniqueName("failing")
            try await fixture.enqueue(rows, run: run, ["--llm-mode", "batch", "--max-attempts", "2"])
            let status = try await fixture.waitUntilComplete(run, timeout: 120)
            status.expectAccounted()
            #expect(status.dead == status.items && status.output == 0)
            let side = try #require(status.batch)
            #expect(side.failed == status.items && side.retried == status.items)
            let dead = try await fixture.dead(run)
            #expect(dead.count == status.items)
            for entry in dead {
                let reason = entry["reason"]?.stringValue ?? ""
                #expect(reason.contains("injected fault") && reason.contains("2 times"), "\(reason)")
                // The parked task is kept whole, so that `fcsynth requeue` can send it back.
                #expect(entry["task"]?.stringValue?.contains("scenario_extract") == true)
            }
        }

        @Test func theSubmittersLeaderKilledWithABatchOpenLosesNothingAndSubmitsNothingTwice() async throws {
            let fixture = try PipelineFixture()
            // Batches stay open long enough for the kill to land while one is.
            let simulator = try await fixture.simulatorProcess(["--batch-turnaround-ms", "1500"])
            let rows = try SeedRows.write(30, to: fixture.file("rows.jsonl"))
            let llm = WorkerLLM.http(baseURL: simulator.baseURL)
            let lease = ["--batch-lease", "2"]
            var workers = try (0..<2).map { _ in try fixture.startWorker(llm: llm, extraArguments: lease) }
            let run = TestEnvironment.uniqueName("leader")
            try await fixture.enqueue(rows, run: run, ["--llm-mode", "batch"])
            var kills = 0
            for _ in 0..<2 {
                var leader: String?
                // Led by a live worker: a killed leader's lease takes a while to run out.
                let live = Set(workers.map(\.id))
                let open = try await PipelineFixture.eventually(timeout: 120) {
                    let side = try await fixture.store(run).status().batch
                    leader = side?.leader
                    return (side?.openBatches ?? 0) > 0 && leader.map(live.contains) == true
                }
                #expect(open, "no batch was open")
                guard let victim = workers.firstIndex(where: { $0.id == leader }) else { break }
                workers[victim].process.signal(SIGKILL)
                _ = try await PipelineFixture.waitForExit(workers[victim].process, timeout: 10)
                workers[victim] = try fixture.startWorker(llm: llm, extraArguments: lease)
                kills += 1
            }
            #expect(kills == 2)
            let status = try await fixture.waitUntilComplete(run, timeout: 120)
            status.expectAccounted()
            #expect(status.dead == 0)
            let stats = try await simulator.stats()
            #expect(stats.batchRequests == Self.calls(status), "a request was answered in two batches")
            #expect(stats.requestsTotal == 0)
            #expect(status.output > 0)
        }
    }
}
