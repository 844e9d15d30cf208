import Foundation
import TestSupport
import Testing

@testable import FcsynthPipeline
@testable import FcsynthSystem

extension ChaosTests {
    /// Batch mode under every fault its design must ride out at once: the simulator fails a
    /// tenth of the lines and expires some batches halfway, the batch leader is SIGKILLed while
    /// a batch is open, and Redis restarts while another is. The simulator's count of answered
    /// lines is the oracle for "nothing submitted twice": it must equal the answers the run
    /// counted.
    @Test("batch mode: leader killed and Redis restarted with batches open, lines failed and batches expired")
    func batchModeFaults() async throws {
        let simulator = try await SimulatorProcess.start([
            "--batch-turnaround-ms", "800", "--batch-failure-rate", "0.1", "--batch-expire-rate", "0.3",
        ])
        defer { simulator.stop() }
        let world = try await ChaosWorld(rows: 150)
        defer { world.shutDown() }
        #expect(try await world.enqueue(options: ["--llm-mode", "batch", "--max-attempts", "8"]) == 0)
        func start(_ id: String) throws -> ChildProcess {
            try world.startWorker(
                id, llm: .endpoint(simulator.baseURL), concurrency: 32, arguments: ["--batch-lease", "2"])
        }
        var workers = ["batch-1": try start("batch-1"), "batch-2": try start("batch-2")]

        let open = try await world.waitUntil("a batch open", timeout: .seconds(120)) {
            ($0.batch?.openBatches ?? 0) > 0 && $0.batch?.leader != nil
        }
        let leader = try #require(open.batch?.leader)
        let victim = try #require(workers[leader], "the leader \(leader) is none of this world's workers")
        victim.signal(SIGKILL)
        #expect(await ChaosWorld.waitForExit(victim, timeout: .seconds(10)))
        workers[leader] = nil
        workers["batch-3"] = try start("batch-3")
        let killedAt = open.batch?.rounds ?? 0

        try await world.waitUntil("a later batch open", timeout: .seconds(120)) {
            ($0.batch?.rounds ?? 0) > killedAt && ($0.batch?.openBatches ?? 0) > 0
        }
        world.redis.stop()
        try await Task.sleep(for: .seconds(2))
        try world.redis.start()
        let faultEnded = ContinuousClock.now
        let baseline = try await world.waitUntil("Redis back", timeout: .seconds(30)) { _ in true }
        let resumed = try await world.secondsUntilProgress(beyond: baseline)

        try await world.waitForCompletion(timeout: .seconds(300))
        let settled = (ContinuousClock.now - faultEnded) / .seconds(1)
        #expect(workers.values.allSatisfy { $0.isRunning }, "a worker gave up: \(world.logTails())")
        let audit = try await ChaosAudit.read(world)
        audit.expectSound()
        let side = try #require(audit.status.batch)
        let calls = audit.status.stages.values.reduce(0) { $0 + $1.llmCalls }
        let stats = try await simulator.stats()
        #expect(stats.batchRequests == calls, "\(stats.batchRequests) lines answered for \(calls) answers counted")
        #expect(stats.requestsTotal == 0, "a batch-mode run asked online")
        #expect(side.retried > 0, "no line failed or expired")
        #expect(audit.status.dead == 0, "a request failed every one of its 8 batches")
        #expect(side.pending == 0 && side.parked == 0 && side.openBatches == 0)
        ChaosFigures(
            fault: "batchModeFaults", audit: audit, resumed: resumed, settled: settled,
            extra: [
                ("rounds", "\(side.rounds)"), ("batch_lines", "\(stats.batchRequests)"),
                ("sent_again", "\(side.retried)"), ("batches", "\(stats.batches)"),
            ]
        ).report()
    }
}
