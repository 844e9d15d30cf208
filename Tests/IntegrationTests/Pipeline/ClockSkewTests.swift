import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

extension PipelineIntegrationTests {
    /// A worker whose wall clock is a minute off works beside one whose clock is right. Leases,
    /// sweeps and liveness go by Redis's clock, so neither takes the other's live tasks: by the
    /// fast clock every other lease would look expired, by the slow one its own would. The 10 s
    /// lease, far shorter than the skew, spares a loaded machine's late heartbeats.
    @Suite struct ClockSkewTests {
        @Test(arguments: [60, -60])
        func aWorkerWithItsClockAMinuteOffTakesNoTasksAndLosesNone(skew: Int) async throws {
            let fixture = try PipelineFixture()
            let simulator = try await fixture.simulator(["--latency-ms", "300"])
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(try SeedRows.write(30, to: fixture.file("rows.jsonl")), run: run)

            let skewed = try fixture.startWorker(
                llm: simulator, concurrency: 8, lease: 10,
                environment: try FakeClock.environment(
                    skew: skew, base: fixture.environment, scratch: fixture.directory))
            #expect(
                try await PipelineFixture.eventually(timeout: 120) { try await fixture.inflight(run, of: skewed) > 0 },
                "the skewed worker took no task: \(skewed.process.output)")
            let ahead = try await lastSeenAhead(of: skewed, in: fixture)
            #expect(abs(ahead - Double(skew)) < Double(abs(skew)) / 2, "libfaketime did not move its clock: \(ahead) s")
            let steady = try fixture.startWorker(llm: simulator, concurrency: 8, lease: 10)

            let status = try await fixture.waitUntilComplete(run, timeout: 90)
            // Both leases are live by Redis's clock, which is the one status counts by.
            let bothLive = try await PipelineFixture.eventually(timeout: 120) {
                try await fixture.store(run).status().workers == 2
            }
            let live = try await fixture.store(run).status().workers
            #expect(bothLive, "status counts \(live) live workers, not 2")
            #expect(try await fixture.stop(skewed) == 0)
            #expect(try await fixture.stop(steady) == 0)

            status.expectAccounted()
            let stale = [skewed, steady].map {
                PipelineFixture.loggedCount(of: "hand-offs skipped", in: $0.process.output)
            }
            #expect(
                status.recovered == 0 && status.dead == 0 && stale == [0, 0],
                "skew \(skew) s: \(status.recovered) recovered, \(status.dead) dead of \(status.items) items, stale hand-offs (skewed, steady) \(stale)"
            )
            try await fixture.expectValidStream(run)
        }

        /// How far ahead of Redis's clock the worker's registry entry, stamped by its own clock, is.
        private func lastSeenAhead(of worker: WorkerProcess, in fixture: PipelineFixture) async throws -> Double {
            let registry = RunKeys.workerRegistry(namespace: fixture.namespace)
            // Its first heartbeat may come after its first claim.
            #expect(
                try await PipelineFixture.eventually(timeout: 120) {
                    try await fixture.redis.send("HEXISTS", registry, worker.id).integer == 1
                })
            let entry = try #require(try await fixture.redis.send("HGET", registry, worker.id).data)
            let description = try JSONCoding.decode(WorkerDescription.self, from: entry)
            let now = try #require(try await fixture.redis.send("TIME").timeMilliseconds)
            return description.lastSeen - Double(now) / 1000
        }
    }
}
