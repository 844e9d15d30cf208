import Foundation
import TestSupport
import Testing

@testable import FcsynthPipeline

extension PipelineIntegrationTests {
    /// Workers that die, freeze or are told to stop while holding tasks. The HTTP simulator's
    /// latency keeps tasks in hand long enough to catch a worker holding some.
    @Suite struct WorkerFailureTests {
        @Test func aKilledWorkersTasksAreRecoveredAndFinishedOnce() async throws {
            let fixture = try PipelineFixture()
            let simulator = try await fixture.simulator(["--latency-ms", "100"])
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(try SeedRows.write(120, to: fixture.file("rows.jsonl")), run: run)

            let doomed = try fixture.startWorker(llm: simulator, concurrency: 16)
            #expect(
                try await PipelineFixture.eventually(timeout: 120) {
                    let started = try await fixture.store(run).status().stages["scenario_extract"]?.done ?? 0
                    guard started > 0 else { return false }
                    return try await fixture.inflight(run, of: doomed) > 0
                })
            doomed.process.signal(SIGKILL)
            #expect(try await PipelineFixture.waitForExit(doomed.process, timeout: 5))
            let held = try await fixture.inflight(run, of: doomed)
            #expect(held > 0, "the killed worker held no tasks")

            let survivor = try fixture.startWorker(llm: simulator, concurrency: 16)
            let status = try await fixture.waitUntilComplete(run, timeout: 90)
            status.expectAccounted()
            #expect(status.recovered >= held)
            #expect(try await fixture.inflight(run, of: doomed) == 0)
            try await fixture.expectValidStream(run)
            #expect(try await fixture.statusCommand(run).recovered == status.recovered)
            #expect(try await fixture.stop(survivor) == 0)
        }

        /// A task whose holders keep dying is poison: past --max-recoveries it goes to dead.
        @Test func aTaskHeldByTooManyDeadWorkersIsDead() async throws {
            let fixture = try PipelineFixture()
            let simulator = try await fixture.simulator(["--latency-ms", "5000"])
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(
                try SeedRows.write(5, to: fixture.file("rows.jsonl")), run: run, ["--max-recoveries", "0"])

            let doomed = try fixture.startWorker(llm: simulator, concurrency: 8)
            #expect(
                try await PipelineFixture.eventually(timeout: 120) { try await fixture.inflight(run, of: doomed) == 5 })
            doomed.process.signal(SIGKILL)
            #expect(try await PipelineFixture.waitForExit(doomed.process, timeout: 5))

            let sweeper = try fixture.startWorker(llm: simulator, concurrency: 8)
            let status = try await fixture.waitUntilComplete(run, timeout: 30)
            status.expectAccounted()
            #expect(status.dead == 5 && status.recovered == 0 && status.items == 5)
            let reasons = try await fixture.dead(run).compactMap { $0["reason"]?.stringValue }
            #expect(reasons.count == 5 && reasons.allSatisfy { $0.contains("died") }, "\(reasons)")
            #expect(try await fixture.stop(sweeper) == 0)
        }

        /// Redis goes away mid-run and comes back with its append-only file: workers ride it out,
        /// and what was in flight is neither lost nor doubled.
        @Test func workersRideOutARedisRestart() async throws {
            let server = try RedisServerProcess(appendOnly: true)
            let fixture = try PipelineFixture(server: server)
            let simulator = try await fixture.simulator(["--latency-ms", "50"])
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(try SeedRows.write(100, to: fixture.file("rows.jsonl")), run: run)
            let workers = try (0..<2).map { _ in try fixture.startWorker(llm: simulator, concurrency: 16) }
            #expect(
                try await PipelineFixture.eventually(timeout: 120) { try await fixture.store(run).status().output >= 5 }
            )

            server.stop()
            try await Task.sleep(for: .seconds(1))
            try server.start()
            // The test's own client fails its first command with the old connection, and
            // others while the server loads its data.
            #expect(
                try await PipelineFixture.eventually(timeout: 120) {
                    (try? await fixture.redis.send("PING")) == .status("PONG")
                })
            let status = try await fixture.waitUntilComplete(run, timeout: 90)
            status.expectAccounted()
            #expect(status.rowsEnqueued == 100)
            try await fixture.expectValidStream(run)
            for worker in workers {
                #expect(try await fixture.stop(worker) == 0)
                #expect(try await fixture.inflight(run, of: worker) == 0)
            }
        }

        /// A worker frozen past its lease loses its tasks to another; when it wakes, its
        /// hand-offs for them must write nothing.
        @Test func aFrozenWorkersLateHandOffsWriteNothing() async throws {
            let fixture = try PipelineFixture()
            let simulator = try await fixture.simulator(["--latency-ms", "100"])
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(try SeedRows.write(120, to: fixture.file("rows.jsonl")), run: run)

            let frozen = try fixture.startWorker(llm: simulator, concurrency: 16)
            #expect(
                try await PipelineFixture.eventually(timeout: 120) { try await fixture.inflight(run, of: frozen) > 0 })
            frozen.process.signal(SIGSTOP)
            let other = try fixture.startWorker(llm: simulator, concurrency: 16)
            #expect(
                try await PipelineFixture.eventually(timeout: 30, interval: .milliseconds(200)) {
                    try await fixture.store(run).status().recovered > 0
                })
            frozen.process.signal(SIGCONT)

            let status = try await fixture.waitUntilComplete(run, timeout: 90)
            status.expectAccounted()
            try await fixture.expectValidStream(run)
            #expect(try await fixture.stop(frozen) == 0)
            #expect(try await fixture.stop(other) == 0)
            #expect(
                frozen.process.output.contains("hand-offs skipped"),
                "the frozen worker's late hand-offs were not refused")
        }

        @Test func sigtermDrainsTheTasksInHandAndExitsCleanly() async throws {
            let fixture = try PipelineFixture()
            let simulator = try await fixture.simulator(["--latency-ms", "300"])
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(try SeedRows.write(40, to: fixture.file("rows.jsonl")), run: run)

            // Far longer than the tasks in hand need, even on a loaded machine: they all finish.
            let grace = 120.0
            let draining = try fixture.startWorker(llm: simulator, concurrency: 8, drainGrace: grace)
            #expect(
                try await PipelineFixture.eventually(timeout: 120) { try await fixture.inflight(run, of: draining) > 0 }
            )
            draining.process.signal(SIGTERM)
            #expect(try await PipelineFixture.waitForExit(draining.process, timeout: grace + 30))
            #expect(draining.process.terminationStatus == 0, "\(draining.process.output)")
            #expect(try await fixture.inflight(run, of: draining) == 0)
            #expect(draining.process.output.contains("draining"))
            #expect(
                !draining.process.output.contains("returned unfinished tasks"),
                "the drain gave tasks back instead of finishing them")

            let successor = try fixture.startWorker(llm: simulator, concurrency: 16)
            let status = try await fixture.waitUntilComplete(run, timeout: 90)
            status.expectAccounted()
            #expect(status.recovered == 0, "a drained worker's tasks were recovered as if it had died")
            try await fixture.expectValidStream(run)
            #expect(try await fixture.stop(successor) == 0)
        }

        /// With Redis down a stopping worker can hand nothing off: at --drain-timeout it gives up
        /// and exits 0, within the stop timeouts of deploy/. Nothing is lost: its tasks stay leased
        /// to it in Redis, and another worker takes them back once the lease expires.
        @Test func aStopWithRedisDownEndsAtTheDrainTimeout() async throws {
            let server = try RedisServerProcess(appendOnly: true)
            let fixture = try PipelineFixture(server: server)
            let simulator = try await fixture.simulator(["--latency-ms", "300"])
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(try SeedRows.write(40, to: fixture.file("rows.jsonl")), run: run)
            let worker = try fixture.startWorker(
                llm: simulator, concurrency: 8, drainGrace: 2, drainTimeout: 5)
            #expect(
                try await PipelineFixture.eventually(timeout: 120) { try await fixture.inflight(run, of: worker) > 0 })

            server.stop()
            worker.process.signal(SIGTERM)
            // The deadline is 5 s; the rest is room for a loaded machine. Without one the stop took minutes.
            let exited = try await PipelineFixture.waitForExit(worker.process, timeout: 40)
            if !exited { worker.process.signal(SIGKILL) }
            #expect(exited, "the worker was still draining 40 s after SIGTERM:\n\(worker.process.output)")
            #expect(worker.process.terminationStatus == 0, "\(worker.process.output)")
            #expect(worker.process.output.contains("drain timeout"), "\(worker.process.output)")

            try server.start()
            #expect(
                try await PipelineFixture.eventually(timeout: 120) {
                    (try? await fixture.redis.send("PING")) == .status("PONG")
                })
            let left = try await fixture.inflight(run, of: worker)
            let successor = try fixture.startWorker(llm: simulator, concurrency: 16)
            let status = try await fixture.waitUntilComplete(run, timeout: 90)
            status.expectAccounted()
            #expect(status.recovered >= left, "\(left) tasks were left leased, \(status.recovered) recovered")
            #expect(try await fixture.inflight(run, of: worker) == 0)
            try await fixture.expectValidStream(run)
            #expect(try await fixture.stop(successor) == 0)
        }

        /// Tasks still waiting on the model when the grace ends go back to the front of their
        /// queues as they were: no attempt is spent on a shutdown.
        @Test func tasksUnfinishedWhenTheGraceEndsGoBackUnspent() async throws {
            let fixture = try PipelineFixture()
            // Answers due long after the grace, however slowly a loaded machine gets there: had the
            // worker waited for them, the tasks would have moved on to the next stage.
            let simulator = try await fixture.simulator(["--latency-ms", "120000"])
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(
                try SeedRows.write(6, to: fixture.file("rows.jsonl")), run: run, ["--max-attempts", "1"])

            let worker = try fixture.startWorker(llm: simulator, concurrency: 8, drainGrace: 1)
            #expect(
                try await PipelineFixture.eventually(timeout: 120) { try await fixture.inflight(run, of: worker) == 6 })
            worker.process.signal(SIGTERM)
            #expect(try await PipelineFixture.waitForExit(worker.process, timeout: 60))
            #expect(worker.process.terminationStatus == 0, "\(worker.process.output)")
            #expect(worker.process.output.contains("returned unfinished tasks"))

            let status = try await fixture.store(run).status()
            #expect(try await fixture.inflight(run, of: worker) == 0)
            #expect(status.stages["scenario_extract"]?.queued == 6)
            #expect(
                status.dead == 0 && status.delayed == 0 && status.stages["scenario_extract"]?.retried == 0,
                "\(status.dead) dead, \(status.delayed) delayed: the shutdown spent the tasks' attempts")
            let attempts = try await fixture.queued(run, stage: .scenarioExtract).map {
                try TaskEnvelope.decode($0).attempt
            }
            #expect(attempts == Array(repeating: 0, count: 6))
        }
    }
}
