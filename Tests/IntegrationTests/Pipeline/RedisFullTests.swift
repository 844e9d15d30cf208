import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline
@testable import FcsynthRedis

extension PipelineIntegrationTests {
    /// A Redis past its maxmemory with noeviction, mid-run (issue 13, defect 7): the workers stop
    /// claiming, finish and hand off what they hold, keep their leases and their fleet stats,
    /// log the episode once each way, and once the limit is raised the run ends with every item
    /// once. The oracles are the simulator's own request count and the stream itself.
    @Suite struct RedisFullTests {
        static func usedMemory(_ redis: RedisClient) async throws -> Int {
            let info = try await redis.send("INFO", "memory").string ?? ""
            return try #require(RedisMemory(info: info)).used
        }

        @Test func workersPauseClaimsWhileRedisIsFullAndLoseNothing() async throws {
            let server = try RedisServerProcess(extraConfig: ["maxmemory-policy noeviction"])
            let fixture = try PipelineFixture(server: server)
            let simulator = try await fixture.simulatorProcess(["--latency-ms", "100"])
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(try SeedRows.write(60, to: fixture.file("rows.jsonl")), run: run)
            let workers = try (0..<2).map { _ in
                try fixture.startWorker(llm: .http(baseURL: simulator.baseURL), concurrency: 8)
            }
            #expect(
                try await PipelineFixture.eventually(timeout: 60) { try await fixture.store(run).status().output >= 5 })

            // Half the memory in use: firmly full, whatever the hand-offs free meanwhile.
            let used = try await Self.usedMemory(fixture.redis)
            try await fixture.redis.send("CONFIG", "SET", "maxmemory", used / 2)

            // What the workers hold is handed off, and nothing more is claimed.
            #expect(
                try await PipelineFixture.eventually(timeout: 60) {
                    var held = 0
                    for worker in workers { held += try await fixture.inflight(run, of: worker) }
                    return held == 0
                }, "\(fixture.workerLogs())")
            let requests = try await simulator.stats().requestsTotal
            let paused = try await fixture.store(run).status()
            // Longer than a lease (3 s): the heartbeats must keep both leases through it.
            try await Task.sleep(for: .seconds(5))
            let still = try await fixture.store(run).status()
            #expect(try await simulator.stats().requestsTotal == requests, "LLM calls went on while Redis was full")
            #expect(still.stages.mapValues(\.done) == paused.stages.mapValues(\.done))
            #expect(still.workers == 2, "a lease lapsed while Redis was full")
            #expect(still.stages.values.allSatisfy { $0.inFlight == 0 })
            let shown = try await fixture.statusCommand(run)
            #expect(shown.redisMemory?.isFull == true && shown.redisMemory?.limit == used / 2)
            let table = try await fixture.fcsynth(["status", "--run", run])
            #expect(table.output.contains("Redis is full"), "\(table.output)")

            try await fixture.redis.send("CONFIG", "SET", "maxmemory", 0)
            let status = try await fixture.waitUntilComplete(run, timeout: 180)
            status.expectAccounted()
            #expect(status.recovered == 0 && status.dead == 0)
            try await fixture.expectValidStream(run)
            #expect(try await fixture.statusCommand(run).redisMemory?.isFull == false)

            for worker in workers { #expect(try await fixture.stop(worker) == 0) }
            // Every call the simulator answered is counted once: in the run's counters, which
            // hand-offs carry, and in the fleet stats, which waited in the workers while full.
            let answered = try await simulator.stats().requestsTotal
            let final = try await fixture.store(run).status()
            #expect(final.stages.values.reduce(0) { $0 + $1.llmCalls } == answered)
            #expect(final.llmFaults["llm_calls"] == answered)
            for worker in workers {
                let log = worker.process.output
                let full = log.split(separator: "\n").filter { $0.contains("Redis is full") }
                let room = log.split(separator: "\n").filter { $0.contains("Redis has room again") }
                #expect(full.count == 1 && room.count == 1, "\(worker.id):\n\(log)")
                #expect(!log.contains("fleet stats not written"))
            }
        }

        /// A worker stopped while Redis is still full cannot write its last fleet stats: it
        /// says which, so that with what Redis holds they add up to the simulator's count.
        @Test func aWorkerStoppedWhileRedisIsFullSaysWhichStatsItCouldNotWrite() async throws {
            let server = try RedisServerProcess(extraConfig: ["maxmemory-policy noeviction"])
            let fixture = try PipelineFixture(server: server)
            // Calls slow enough that those in hand when the limit comes end after it.
            let simulator = try await fixture.simulatorProcess(["--latency-ms", "3000"])
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(try SeedRows.write(30, to: fixture.file("rows.jsonl")), run: run)
            let worker = try fixture.startWorker(llm: .http(baseURL: simulator.baseURL), concurrency: 8)
            #expect(
                try await PipelineFixture.eventually(timeout: 60) { try await fixture.inflight(run, of: worker) > 0 })
            try await fixture.redis.send("CONFIG", "SET", "maxmemory", 1)
            // The tasks in hand make their calls after the limit: their counts cannot be written.
            #expect(
                try await PipelineFixture.eventually(timeout: 60) { try await fixture.inflight(run, of: worker) == 0 })
            #expect(try await fixture.stop(worker) == 0)

            let log = worker.process.output
            let line = try #require(
                log.split(separator: "\n").first { $0.contains("fleet stats not written") }, "\(log)")
            let unwritten = line.firstMatch(of: /llm_calls=(\d+)/).flatMap { Int($0.1) } ?? 0
            #expect(unwritten > 0, "\(line)")
            let written = try await fixture.store(run).status().llmFaults["llm_calls"] ?? 0
            #expect(written + unwritten == (try await simulator.stats().requestsTotal))
            try await fixture.redis.send("CONFIG", "SET", "maxmemory", 0)
        }
    }
}
