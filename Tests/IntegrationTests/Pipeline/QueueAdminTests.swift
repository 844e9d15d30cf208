import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

extension PipelineIntegrationTests {
    /// What reaches the queues other than enqueue's own tasks, and the operator's commands.
    @Suite struct QueueAdminTests {
        @Test func garbageInAQueueGoesToDeadAndTheRunStillAddsUp() async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(try SeedRows.write(10, to: fixture.file("rows.jsonl")), run: run)
            let keys = fixture.keys(run)
            let garbage: [(StageName, String)] = [
                (.scenarioExtract, "hello, not a task"),
                (
                    .scenarioExtract,
                    #"{"tid":"g1|bogus|0","run":"\#(run)","stage":"bogus","attempt":0,"recoveries":0,"item":{"id":"g1","line":1}}"#
                ),
                (
                    .atomTask,
                    #"{"tid":"g2|atom_task|0","run":"\#(run)","stage":"atom_task","attempt":0,"recoveries":0,"item":{"no":"fields"}}"#
                ),
                (
                    .atomTask,
                    #"{"tid":"g3|atom_task|0","run":"elsewhere","stage":"atom_task","attempt":0,"recoveries":0,"item":{"id":"g3","line":1}}"#
                ),
            ]
            for (stage, entry) in garbage {
                try await fixture.redis.send("LPUSH", keys.queue(stage), entry)
            }
            let delayedGarbage = [
                "a retry that is no task",
                #"{"tid":"g4|bogus|0","run":"\#(run)","stage":"bogus","attempt":1,"recoveries":0,"item":{"id":"g4","line":1}}"#,
            ]
            for entry in delayedGarbage {
                try await fixture.redis.send("ZADD", keys.delayed, 0, entry)
            }

            let worker = try fixture.startWorker()
            let status = try await fixture.waitUntilComplete(run, timeout: 60)
            status.expectAccounted()
            #expect(status.rowsEnqueued == 10 && status.items >= 10 + garbage.count + delayedGarbage.count)
            #expect(status.output + status.filtered >= 10)
            let dead = try await fixture.dead(run)
            #expect(dead.count == status.dead)
            for entry in garbage.map(\.1) + delayedGarbage {
                let found = dead.filter { $0["task"]?.stringValue == entry }
                #expect(found.count == 1, "garbage \(entry) is not in dead once")
                let reason = found.first?["reason"]?.stringValue ?? ""
                #expect(reason.count > 5, "garbage \(entry) is dead without a reason")
            }
            try await fixture.expectValidStream(run)
            try await fixture.expectOnlyRunKeys()
            #expect(worker.process.isRunning)
            #expect(try await fixture.stop(worker) == 0)
        }

        @Test func cancelStopsARunWhileOthersGoOn() async throws {
            let fixture = try PipelineFixture()
            let simulator = try await fixture.simulator(["--latency-ms", "150"])
            let cancelled = TestEnvironment.uniqueName("cancelled")
            let kept = TestEnvironment.uniqueName("kept")
            try await fixture.enqueue(try SeedRows.write(150, to: fixture.file("a.jsonl")), run: cancelled)
            try await fixture.enqueue(try SeedRows.write(20, to: fixture.file("b.jsonl")), run: kept)
            let worker = try fixture.startWorker(llm: simulator, concurrency: 8)
            #expect(
                try await PipelineFixture.eventually(timeout: 120) {
                    try await fixture.store(cancelled).status().stages["scenario_extract"]?.done ?? 0 > 0
                })

            let outcome = try await fixture.fcsynth(["cancel", "--run", cancelled])
            #expect(outcome.status == 0, "\(outcome.output)")
            #expect(
                try await PipelineFixture.eventually(timeout: 120) {
                    try await fixture.inflight(cancelled, of: worker) == 0
                })
            let settled = try await fixture.store(cancelled).status()
            try await Task.sleep(for: .seconds(2))
            let later = try await fixture.store(cancelled).status()
            #expect(later.state == "cancelled" && !later.complete)
            #expect(
                later.stages.mapValues(\.done) == settled.stages.mapValues(\.done),
                "the cancelled run's tasks were still taken")
            #expect(later.stages.values.allSatisfy { $0.queued == 0 && $0.inFlight == 0 }, "\(later.stages)")
            #expect(later.delayed == 0)

            let status = try await fixture.waitUntilComplete(kept, timeout: 60)
            status.expectAccounted()
            #expect(worker.process.isRunning)
            #expect(try await fixture.stop(worker) == 0)
            let again = try await fixture.fcsynth(
                ["enqueue", fixture.file("a.jsonl").path, "--run", cancelled])
            #expect(again.status != 0 && again.output.contains("was cancelled"), "\(again.output)")
            #expect(again.output.contains("--purge"), "the refusal says how to free the name: \(again.output)")
        }

        /// Tasks of a cancelled run that a stopping worker gives back are dropped, not queued.
        @Test func aCancelledRunsTasksReleasedOnStopAreDropped() async throws {
            let fixture = try PipelineFixture()
            let simulator = try await fixture.simulator(["--latency-ms", "5000"])
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(try SeedRows.write(4, to: fixture.file("rows.jsonl")), run: run)
            let worker = try fixture.startWorker(llm: simulator, concurrency: 8, drainGrace: 1)
            #expect(
                try await PipelineFixture.eventually(timeout: 120) { try await fixture.inflight(run, of: worker) == 4 })

            #expect(try await fixture.fcsynth(["cancel", "--run", run]).status == 0)
            #expect(try await fixture.stop(worker) == 0)
            let status = try await fixture.store(run).status()
            #expect(try await fixture.inflight(run, of: worker) == 0)
            #expect(status.state == "cancelled")
            #expect(status.stages.values.allSatisfy { $0.queued == 0 && $0.inFlight == 0 }, "\(status.stages)")
        }

        /// A purge while a worker is busy with the run leaves no key of it: the worker's heartbeats
        /// bring back none, and it says the tasks it held went with the run, not that another
        /// worker recovered them.
        @Test func aPurgeWhileAWorkerIsBusyLeavesNoKeyOfTheRun() async throws {
            let fixture = try PipelineFixture()
            // Tasks held long enough to be in hand at the purge and to finish after it.
            let simulator = try await fixture.simulator(["--latency-ms", "1500"])
            let run = TestEnvironment.uniqueName("purged")
            try await fixture.enqueue(try SeedRows.write(30, to: fixture.file("rows.jsonl")), run: run)
            // A lease of 3 s: a heartbeat every second.
            let worker = try fixture.startWorker(llm: simulator, concurrency: 8, lease: 3)
            #expect(
                try await PipelineFixture.eventually(timeout: 120) { try await fixture.inflight(run, of: worker) > 0 })

            let purged = Date().timeIntervalSince1970
            let outcome = try await fixture.fcsynth(["cancel", "--run", run, "--purge"])
            #expect(outcome.status == 0, "\(outcome.output)")
            // Eight heartbeats later, by the worker's own record of them, however slow the machine.
            let registry = RunKeys.workerRegistry(namespace: fixture.namespace)
            #expect(
                try await PipelineFixture.eventually(timeout: 90, interval: .milliseconds(200)) {
                    guard let data = try await fixture.redis.send("HGET", registry, worker.id).data else {
                        return false
                    }
                    return try JSONCoding.decode(WorkerDescription.self, from: data).lastSeen > purged + 8
                }, "the worker stopped heartbeating")

            var left: [String] = []
            var cursor = "0"
            repeat {
                let reply = try await fixture.redis.send(
                    "SCAN", cursor, "MATCH", fixture.keys(run).prefix + "*", "COUNT", 1000)
                cursor = reply.array?.first?.string ?? "0"
                left += reply.array?.last?.array?.compactMap(\.string) ?? []
            } while cursor != "0"
            #expect(left.isEmpty, "keys of the purged run: \(left)")
            let listed = try await fixture.redis.send("SISMEMBER", RunKeys.runs(namespace: fixture.namespace), run)
            #expect(listed.integer == 0)
            let log = worker.process.output
            #expect(!log.contains("recovered by another worker"), "\(log)")
            #expect(
                log.split(separator: "\n").contains { $0.contains("was purged") && $0.contains(run) },
                "the worker did not say the run was purged: \(log)")
            #expect(worker.process.isRunning)
            #expect(try await fixture.stop(worker) == 0)
        }

        @Test func requeueSendsDeadTasksBackToAHealthyFleet() async throws {
            let fixture = try PipelineFixture()
            // A 400 is the task's own failure; a 5xx from every call would be an outage, which
            // pauses work rather than killing it.
            let failing = try await fixture.simulator(["--fault-rate", "1", "--faults", "400"])
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(
                try SeedRows.write(6, to: fixture.file("rows.jsonl")), run: run, ["--max-attempts", "1"])

            let doomed = try fixture.startWorker(llm: failing, concurrency: 8)
            let failed = try await fixture.waitUntilComplete(run, timeout: 60)
            failed.expectAccounted()
            #expect(failed.dead == 6 && failed.output == 0 && failed.items == 6)
            #expect(failed.errors.values.reduce(0, +) >= 6)
            try await fixture.expectOnlyRunKeys()
            #expect(try await fixture.dead(run).allSatisfy { ($0["reason"]?.stringValue ?? "").contains("400") })
            #expect(try await fixture.stop(doomed) == 0)

            let outcome = try await fixture.fcsynth(["requeue", "--run", run])
            #expect(outcome.status == 0 && outcome.output.contains("6 dead tasks requeued"), "\(outcome.output)")
            let healthy = try fixture.startWorker()
            let status = try await fixture.waitUntilComplete(run, timeout: 60)
            status.expectAccounted()
            #expect(status.dead == 0 && status.output > 0 && status.items == 6)
            #expect(try await fixture.dead(run).isEmpty)
            try await fixture.expectValidStream(run)
            #expect(try await fixture.stop(healthy) == 0)
        }
    }
}
