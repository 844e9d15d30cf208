import Foundation
import Synchronization
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline
@testable import FcsynthRedis

/// A worker's share of the fleet's concurrency window, against a real Redis: a concurrency 429
/// halves it at once and in Redis, a rate 429 leaves it alone, successes grow it, a Redis that is
/// away leaves the worker on its own share, and a waiter that is cancelled takes no place.
@Suite struct FleetPaceTests {
    static func pace(_ redis: RedisClient, namespace: String, concurrency: Int = 16) -> FleetPace {
        FleetPace(
            redis: redis, namespace: namespace, worker: TestEnvironment.uniqueName("w"), concurrency: concurrency,
            refreshInterval: .milliseconds(50), hold: .seconds(30), initial: 8)
    }

    static func window(_ redis: RedisClient, namespace: String) async throws -> [String: String] {
        let fields = try await redis.send("HGETALL", RunKeys.pace(namespace: namespace)).fieldValues
        return fields.compactMapValues(\.string)
    }

    /// Polls Redis until `done` holds of the pace hash, for at most a generous ceiling.
    static func waitFor(
        _ redis: RedisClient, namespace: String, _ done: ([String: String]) -> Bool
    ) async throws -> [String: String] {
        // A ceiling for a report that never comes, not a bound on a busy machine's timing.
        let deadline = ContinuousClock.now + .seconds(120)
        var fields = try await window(redis, namespace: namespace)
        while !done(fields) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            fields = try await window(redis, namespace: namespace)
        }
        return fields
    }

    static func cleanUp(_ redis: RedisClient, namespace: String) async {
        _ = try? await redis.send("DEL", RunKeys.pace(namespace: namespace), RunKeys.paceWorkers(namespace: namespace))
    }

    @Test func aConcurrency429HalvesTheShareAtOnceAndTheFleetsWindow() async throws {
        let redis = RedisClient(url: try TestEnvironment.redis())
        defer { redis.close() }
        let namespace = TestEnvironment.uniqueName("pace")
        defer { Task { await Self.cleanUp(redis, namespace: namespace) } }
        let pace = Self.pace(redis, namespace: namespace)
        for _ in 0..<8 { try await pace.acquire() }
        let first = try await Self.waitFor(redis, namespace: namespace) { $0["window"] != nil }
        #expect(first["window"] == "8" && first["threshold"] == "0", "\(first)")

        pace.llmThrottled(call: "x", kind: .concurrency, wait: nil)
        #expect(pace.cap == 4)
        // The same overload heard again within the hold cuts nothing more.
        pace.llmThrottled(call: "x", kind: .concurrency, wait: nil)
        #expect(pace.cap == 4)
        let cut = try await Self.waitFor(redis, namespace: namespace) { $0["threshold"] == "4" }
        #expect(cut["window"] == "4" && cut["threshold"] == "4", "\(cut)")

        // Eight in flight over a cap of four: a ninth waits until four have finished.
        let admitted = Mutex(false)
        let ninth = Task {
            try await pace.acquire()
            admitted.withLock { $0 = true }
        }
        for _ in 0..<4 { pace.release() }
        try await Task.sleep(for: .milliseconds(100))
        #expect(!admitted.withLock { $0 }, "let in with four in flight under a cap of four")
        pace.release()
        try await ninth.value
        for _ in 0..<4 { pace.release() }
    }

    /// With an interval far longer than the test, only a window's worth of successes can make
    /// the worker report: the window doubles per round of calls, and stops at the ceiling.
    @Test func belowItsCeilingAWorkerReportsEachWindowsWorthOfSuccessesAtOnce() async throws {
        let redis = RedisClient(url: try TestEnvironment.redis())
        defer { redis.close() }
        let namespace = TestEnvironment.uniqueName("pace")
        defer { Task { await Self.cleanUp(redis, namespace: namespace) } }
        let pace = FleetPace(
            redis: redis, namespace: namespace, worker: TestEnvironment.uniqueName("w"), concurrency: 32,
            refreshInterval: .seconds(3600), hold: .seconds(30), initial: 8)
        try await pace.acquire()
        pace.release()
        #expect(try await Self.waitFor(redis, namespace: namespace) { $0["window"] != nil }["window"] == "8")
        let answer = ChatResponse(content: "{}")
        // One short of a window's worth is not yet a report.
        for _ in 0..<7 { pace.llmCallFinished(call: "x", response: answer, attempts: 1) }
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await Self.window(redis, namespace: namespace)["window"] == "8")
        for (successes, grown) in [(1, "16"), (16, "32")] {
            // The report goes at once, and its answer sets the worker's share.
            for _ in 0..<successes { pace.llmCallFinished(call: "x", response: answer, attempts: 1) }
            let fields = try await Self.waitFor(redis, namespace: namespace) { $0["window"] == grown }
            #expect(fields["window"] == grown, "\(fields)")
            try await Self.waitForCap(pace, Int(grown)!)
        }
        // At its ceiling the worker keeps to the interval: a window's worth more reports nothing.
        for _ in 0..<64 { pace.llmCallFinished(call: "x", response: answer, attempts: 1) }
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await Self.window(redis, namespace: namespace)["credit"] == "0")
        #expect(pace.cap == 32)
    }

    /// Polls the worker's share until the answer of its report has set it.
    static func waitForCap(_ pace: FleetPace, _ cap: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while pace.cap != cap && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(pace.cap == cap)
    }

    @Test func aRate429CutsNothingAndSuccessesGrowTheWindow() async throws {
        let redis = RedisClient(url: try TestEnvironment.redis())
        defer { redis.close() }
        let namespace = TestEnvironment.uniqueName("pace")
        defer { Task { await Self.cleanUp(redis, namespace: namespace) } }
        let pace = Self.pace(redis, namespace: namespace)
        try await pace.acquire()
        pace.release()
        pace.llmThrottled(call: "x", kind: .rate, wait: 1)
        #expect(pace.cap == 8)
        _ = try await Self.waitFor(redis, namespace: namespace) { $0["window"] != nil }
        // Slow start: a report of successes doubles the window, up to the worker's --concurrency.
        let response = ChatResponse(content: "{}", finishReason: "stop", usage: TokenUsage())
        // Successes go on until a report has carried them, however late a busy machine sends it.
        var grown = try await Self.window(redis, namespace: namespace)
        let feeding = ContinuousClock.now + .seconds(60)
        while grown["window"] != "16" && ContinuousClock.now < feeding {
            for _ in 0..<20 { pace.llmCallFinished(call: "x", response: response, attempts: 1) }
            try await Task.sleep(for: .milliseconds(80))
            grown = try await Self.window(redis, namespace: namespace)
        }
        #expect(grown["window"] == "16" && grown["threshold"] == "0", "\(grown)")
        let deadline = ContinuousClock.now + .seconds(20)
        while pace.cap != 16 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(pace.cap == 16)
    }

    @Test func withRedisAwayTheWorkerKeepsItsOwnShare() async throws {
        let down = RedisClient(
            url: try RedisURL(parsing: "redis://127.0.0.1:\(try ClosedPort.find())"), options: .failFast)
        defer { down.close() }
        let pace = Self.pace(down, namespace: TestEnvironment.uniqueName("pace"))
        try await pace.acquire()
        pace.llmThrottled(call: "x", kind: .concurrency, wait: nil)
        #expect(pace.cap == 4)
        try await Task.sleep(for: .milliseconds(200))
        #expect(pace.cap == 4)
        #expect(pace.window == nil)
        for _ in 0..<3 { try await pace.acquire() }
        for _ in 0..<4 { pace.release() }
    }

    @Test func aCancelledWaiterTakesNoPlace() async throws {
        let down = RedisClient(
            url: try RedisURL(parsing: "redis://127.0.0.1:\(try ClosedPort.find())"), options: .failFast)
        defer { down.close() }
        let pace = FleetPace(
            redis: down, namespace: TestEnvironment.uniqueName("pace"), worker: "w", concurrency: 1, initial: 1)
        try await pace.acquire()
        let waiter = Task { try await pace.acquire() }
        try await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        pace.release()
        // The one place is free again: taken at once.
        try await pace.acquire()
        pace.release()
    }
}
