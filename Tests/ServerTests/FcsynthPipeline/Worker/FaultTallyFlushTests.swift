import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline
@testable import FcsynthRedis
@testable import FcsynthSimulatedLLM

/// The fleet's LLM fault counts survive a Redis that is away: what a flush could not write is
/// written by the next one.
@Suite struct FaultTallyFlushTests {
    static func worker(_ redis: RedisClient, faults: LLMFaultTally, namespace: String) -> PipelineWorker {
        var options = PipelineWorkerOptions(id: TestEnvironment.uniqueName("w"))
        options.namespace = namespace
        return PipelineWorker(redis: redis, llm: SimulatedLLM(), stages: [:], options: options, faults: faults)
    }

    @Test func countsRedisDidNotTakeWaitForTheNextFlush() async throws {
        let faults = LLMFaultTally()
        for _ in 0..<3 {
            faults.llmAttemptFailed(
                call: "x", error: .httpStatus(503, message: "busy", retryAfter: nil), willRetry: true)
        }
        faults.llmAttemptFailed(call: "x", error: .transport(.timeout, message: "slow"), willRetry: true)
        let namespace = TestEnvironment.uniqueName("faults")

        let down = RedisClient(
            url: try RedisURL(parsing: "redis://127.0.0.1:\(try ClosedPort.find())"), options: .failFast)
        await Self.worker(down, faults: faults, namespace: namespace).flushFaults()
        down.close()

        let redis = RedisClient(url: try TestEnvironment.redis())
        defer { redis.close() }
        await Self.worker(redis, faults: faults, namespace: namespace).flushFaults()
        let stats = try await redis.send("HGETALL", RunKeys.fleetStats(namespace: namespace)).fieldValues
        #expect(stats["llm_faults:http_5xx"]?.string == "3")
        #expect(stats["llm_faults:transport_timeout"]?.string == "1")
        #expect(faults.drain().isEmpty, "written counts are not kept twice")
        _ = try await redis.send("DEL", RunKeys.fleetStats(namespace: namespace))
    }
}
