import FcsynthSimulatorServer
import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline
@testable import FcsynthRedis
@testable import FcsynthSystem

/// A fleet of worker processes against the simulator's own limits: with adaptive pacing it
/// settles below a concurrency limit and draws few 429s where a fixed concurrency draws many,
/// and a rate limit is met by waiting, not by shedding concurrency. The simulator's counts of
/// the 429s it sent, by kind, are the oracle; the fleets are compared at equal progress (the
/// same number of answered calls), never by time.
@Suite(.serialized) struct AdaptivePaceTests {
    struct Outcome {
        var stats: SimulatorStats
        var pace: [String: String]
        var successes: Int { stats.count(status: 200) }
    }

    @Test func adaptivePacingSettlesBelowAConcurrencyLimitWithFewerConcurrency429s() async throws {
        let limit = 16
        let simulator = ["--latency-ms", "40", "--concurrency-limit", String(limit)]
        let fixed = try await Self.fleet(pace: "fixed", simulator: simulator, workers: 3, until: 600)
        let adaptive = try await Self.fleet(pace: "adaptive", simulator: simulator, workers: 3, until: 600)

        #expect(fixed.stats.concurrencyThrottled > 0, "the fixed fleet never met the limit: \(fixed.stats.throttled)")
        // Per answered call, the adaptive fleet drew a fraction of the fixed one's 429s, and few.
        #expect(
            adaptive.stats.concurrencyThrottled * fixed.successes * 5 < fixed.stats.concurrencyThrottled
                * adaptive.successes,
            "adaptive \(adaptive.stats.throttled) for \(adaptive.successes) answers against fixed \(fixed.stats.throttled) for \(fixed.successes)"
        )
        #expect(
            adaptive.stats.concurrencyThrottled * 10 < adaptive.successes,
            "\(adaptive.stats.concurrencyThrottled) concurrency 429s for \(adaptive.successes) answers")
        #expect(adaptive.stats.rateThrottled == 0 && fixed.stats.rateThrottled == 0)
        // The window the fleet shares settled near the limit, far below the 3 × 64 it may hold,
        // after it had been cut at least once.
        let window = Int(adaptive.pace["window"] ?? "") ?? -1
        #expect(window >= 1 && window <= limit * 2, "window \(adaptive.pace)")
        #expect((Int(adaptive.pace["threshold"] ?? "") ?? 0) > 0, "never cut: \(adaptive.pace)")
        #expect(fixed.pace.isEmpty, "a fixed fleet keeps no window: \(fixed.pace)")
    }

    @Test func aRateLimitIsMetByWaitingNotByShrinkingTheWindow() async throws {
        // 300 requests a minute, a budget of 5: the fleet must keep to 5 a second.
        let simulator = ["--latency-ms", "20", "--rpm-limit", "300", "--rate-burst", "1"]
        let fixed = try await Self.fleet(pace: "fixed", simulator: simulator, workers: 2, until: 60)
        let adaptive = try await Self.fleet(pace: "adaptive", simulator: simulator, workers: 2, until: 60)

        #expect(fixed.stats.rateThrottled > 0, "the fixed fleet never met the limit: \(fixed.stats.throttled)")
        // The adaptive fleet took the endpoint's announced limit as its own and kept to it.
        #expect(
            adaptive.stats.rateThrottled * fixed.successes * 4 < fixed.stats.rateThrottled * adaptive.successes,
            "adaptive \(adaptive.stats.throttled) for \(adaptive.successes) answers against fixed \(fixed.stats.throttled) for \(fixed.successes)"
        )
        #expect(adaptive.stats.concurrencyThrottled == 0)
        // A rate 429 cut nothing: the window never left slow start.
        #expect(adaptive.pace["threshold"] == "0", "\(adaptive.pace)")
        #expect((Int(adaptive.pace["window"] ?? "") ?? 0) >= 2 * 8, "\(adaptive.pace)")
    }

    /// Runs `workers` worker processes with `--concurrency 64` and `--pace pace` on a fresh run
    /// and simulator until the simulator has answered `until` calls with 200, then stops them.
    static func fleet(
        pace: String, simulator arguments: [String], workers count: Int, until target: Int
    ) async throws
        -> Outcome
    {
        let simulator = try await SimulatorProcess.start(arguments)
        defer { simulator.stop() }
        let namespace = TestEnvironment.uniqueName("pace")
        var environment = ProcessInfo.processInfo.environment
        environment["FCSYNTH_REDIS_URL"] = try TestEnvironment.redis().secretText
        environment["FCSYNTH_LLM_URL"] = simulator.baseURL
        environment["FCSYNTH_MODEL"] = "sim"
        let input = try FleetRateLimitTests.rows(200)
        defer { try? FileManager.default.removeItem(at: input) }
        let enqueue = try ChildProcess(
            executable: TestEnvironment.executable("fcsynth"),
            arguments: ["enqueue", input.path, "--run", "paced", "--namespace", namespace],
            environment: environment, logName: "pace-enqueue")
        #expect(await enqueue.exited(within: 60) && enqueue.terminationStatus == 0, "\(enqueue.output)")

        let workers = try (0..<count).map { index in
            try ChildProcess(
                executable: TestEnvironment.executable("fcsynth-worker"),
                arguments: [
                    "--namespace", namespace, "--concurrency", "64", "--pace", pace, "--id", "\(pace)-\(index)",
                    "--drain-grace", "1", "--drain-timeout", "5",
                ],
                environment: environment, logName: "pace-\(pace)-\(index)")
        }
        let deadline = ContinuousClock.now + .seconds(240)
        var stats = try await simulator.stats()
        while stats.count(status: 200) < target && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            stats = try await simulator.stats()
        }
        for worker in workers { await worker.terminate() }
        stats = try await simulator.stats()
        #expect(stats.count(status: 200) >= target, "\(pace): the fleet stalled: \(stats.status)")

        let redis = RedisClient(url: try TestEnvironment.redis())
        defer { redis.close() }
        let reply = try await redis.send("HGETALL", RunKeys.pace(namespace: namespace))
        let fields = reply.array?.compactMap(\.string) ?? []
        var pace: [String: String] = [:]
        for index in stride(from: 0, to: fields.count - 1, by: 2) { pace[fields[index]] = fields[index + 1] }
        _ = try? await redis.send(
            "DEL", RunKeys.pace(namespace: namespace), RunKeys.paceWorkers(namespace: namespace))
        let keys = RunKeys(namespace: namespace, run: "paced")
        _ = try? await RunStore(redis: redis, keys: keys).purge()
        return Outcome(stats: stats, pace: pace)
    }
}
