import Foundation
import TestSupport
import Testing

@testable import FcsynthPipeline

extension PipelineIntegrationTests {
    /// A worker keeps a few tasks claimed beyond its slots, so that a slot that frees starts at
    /// once; those tasks are leased like the rest and go back on a stop. Its slot trace accounts
    /// for every task and call.
    @Suite struct ClaimAheadTests {
        @Test func aWorkerHoldsItsClaimAheadBeyondItsSlotsAndReturnsItOnStop() async throws {
            let fixture = try PipelineFixture()
            // Answers due long after the test: the slots stay full while it looks.
            let simulator = try await fixture.simulatorProcess(["--latency-ms", "120000"])
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(try SeedRows.write(20, to: fixture.file("rows.jsonl")), run: run)

            let worker = try fixture.startWorker(
                llm: .http(baseURL: simulator.baseURL), concurrency: 4, drainGrace: 1,
                extraArguments: ["--claim-ahead", "3"])
            #expect(
                try await PipelineFixture.eventually(timeout: 120) {
                    let held = try await fixture.inflight(run, of: worker)
                    let calling = try await simulator.stats().inFlight
                    return held == 7 && calling == 4
                })
            // No more than the slots call the model, and no more than slots + 3 leave the queue.
            #expect(try await fixture.store(run).status().stages["scenario_extract"]?.queued == 13)
            #expect(try await simulator.stats().maxInFlight == 4)

            worker.process.signal(SIGTERM)
            #expect(try await PipelineFixture.waitForExit(worker.process, timeout: 60))
            #expect(worker.process.terminationStatus == 0, "\(worker.process.output)")
            // The three never started go back as the drain begins, the four in slots after the grace.
            let log = worker.process.output
            #expect(PipelineFixture.loggedCount(of: "returned the tasks claimed ahead", in: log) == 3, "\(log)")
            #expect(PipelineFixture.loggedCount(of: "returned unfinished tasks", in: log) == 4, "\(log)")
            let status = try await fixture.store(run).status()
            #expect(try await fixture.inflight(run, of: worker) == 0)
            #expect(status.stages["scenario_extract"]?.queued == 20)
            #expect(status.dead == 0 && status.delayed == 0)
        }

        /// With its slots full, a worker waits until half its claim-ahead has started before it
        /// claims again: one round trip per few tasks, not one per finished task.
        @Test func aBusyWorkerClaimsHalfItsClaimAheadAtATime() async throws {
            let fixture = try PipelineFixture()
            let simulator = try await fixture.simulatorProcess(["--latency-ms", "20"])
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(try SeedRows.write(12, to: fixture.file("rows.jsonl")), run: run)
            let trace = fixture.file("slots.trace")

            let worker = try fixture.startWorker(
                llm: .http(baseURL: simulator.baseURL), concurrency: 8,
                extraArguments: ["--claim-ahead", "6", "--slot-trace", trace.path])
            let status = try await fixture.waitUntilComplete(run, timeout: 120)
            #expect(try await fixture.stop(worker) == 0)

            let lines = try String(contentsOf: trace, encoding: .utf8).split(separator: "\n")
            let asked = lines.compactMap { line -> Int? in
                let fields = line.split(separator: " ")
                return fields.first == "claim" && fields.count == 3 ? Int(fields[2]) : nil
            }
            let tasks = status.stages.values.reduce(0) { $0 + $1.done }
            #expect(!asked.isEmpty && tasks > 50)
            // Never fewer than half of the 6: a worker with free slots and nothing in hand asks for more.
            #expect(asked.allSatisfy { $0 >= 3 }, "\(asked)")
        }

        @Test func theSlotTraceRecordsEveryTaskAndCall() async throws {
            let fixture = try PipelineFixture()
            let simulator = try await fixture.simulatorProcess(["--latency-ms", "20"])
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(try SeedRows.write(6, to: fixture.file("rows.jsonl")), run: run)
            let trace = fixture.file("slots.trace")

            let worker = try fixture.startWorker(
                llm: .http(baseURL: simulator.baseURL), concurrency: 4,
                extraArguments: ["--slot-trace", trace.path])
            let status = try await fixture.waitUntilComplete(run, timeout: 60)
            #expect(try await fixture.stop(worker) == 0)

            let lines = try String(contentsOf: trace, encoding: .utf8).split(separator: "\n")
            func count(_ kind: String) -> Int {
                lines.filter { $0.split(separator: " ").first == Substring(kind) }.count
            }
            let requests = try await simulator.stats().requestsTotal
            let tasks = status.stages.values.reduce(0) { $0 + $1.done }
            #expect(requests > 0 && count("call") == requests && count("reply") == requests)
            #expect(tasks > 0 && count("start") == tasks && count("done") == tasks && count("end") == tasks)
            #expect(lines.filter { $0.hasPrefix("start ") && $0.hasSuffix(" scenario_extract 0") }.count == 6)
            // One claim reply per claim, and a claim first: a task takes a slot only once claimed.
            #expect(count("claim") == count("claimed") && lines.first?.hasPrefix("claim ") == true)
        }
    }
}
