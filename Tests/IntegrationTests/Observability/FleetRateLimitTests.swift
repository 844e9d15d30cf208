import Foundation
import FoundationNetworking
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline
@testable import FcsynthRedis
@testable import FcsynthSystem

/// A run's requests-per-minute limit holds across four worker processes together, measured
/// by what the simulator receives each second; and a worker's metrics endpoint reports what
/// it really did.
@Suite(.serialized) struct FleetRateLimitTests {
    @Test func fourWorkersTogetherStayWithinTheRunsLimit() async throws {
        let simulator = try await SimulatorProcess.start(["--latency-ms", "20"])
        defer { simulator.stop() }
        let namespace = TestEnvironment.uniqueName("rate")
        let redisURL = try TestEnvironment.redis()
        var environment = ProcessInfo.processInfo.environment
        environment["FCSYNTH_REDIS_URL"] = redisURL.secretText
        environment["FCSYNTH_LLM_URL"] = simulator.baseURL
        environment["FCSYNTH_MODEL"] = "sim"

        let input = try Self.rows(300)
        let enqueue = try ChildProcess(
            executable: TestEnvironment.executable("fcsynth"),
            arguments: ["enqueue", input.path, "--run", "limited", "--namespace", namespace, "--rpm", "600"],
            environment: environment, logName: "rate-enqueue")
        #expect(await enqueue.exited(within: 30) && enqueue.terminationStatus == 0, "\(enqueue.output)")

        let workers = try (0..<4).map { index in
            try ChildProcess(
                executable: TestEnvironment.executable("fcsynth-worker"),
                arguments: [
                    "--namespace", namespace, "--concurrency", "16", "--id", "rate-\(index)", "--drain-grace", "2",
                ],
                environment: environment, logName: "rate-worker-\(index)")
        }
        try await Task.sleep(for: .seconds(22))
        let stats = try await simulator.stats()
        for worker in workers { await worker.terminate() }

        // Whole seconds between the start-up burst and the last, partial second.
        let seconds = stats.perSecond.compactMap { Int($0.key) }.sorted()
        let steady = seconds.dropFirst(3).dropLast(2)
        #expect(steady.count >= 12, "too few busy seconds: \(stats.perSecond)")
        let received = steady.reduce(0) { $0 + (stats.perSecond[String($1)] ?? 0) }
        let rate = Double(received) / Double(max(steady.count, 1))
        // 600 requests a minute is 10 a second; within 10%.
        #expect(rate >= 9 && rate <= 11, "\(rate) requests/s; per second: \(stats.perSecond)")
    }

    @Test func aMetricsScrapeShowsWhatTheWorkerDid() async throws {
        let simulator = try await SimulatorProcess.start(["--latency-ms", "5"])
        defer { simulator.stop() }
        let namespace = TestEnvironment.uniqueName("metrics")
        var environment = ProcessInfo.processInfo.environment
        environment["FCSYNTH_REDIS_URL"] = try TestEnvironment.redis().secretText
        environment["FCSYNTH_LLM_URL"] = simulator.baseURL
        environment["FCSYNTH_MODEL"] = "sim"
        let input = try Self.rows(20)
        let enqueue = try ChildProcess(
            executable: TestEnvironment.executable("fcsynth"),
            arguments: ["enqueue", input.path, "--run", "scraped", "--namespace", namespace],
            environment: environment, logName: "metrics-enqueue")
        #expect(await enqueue.exited(within: 30) && enqueue.terminationStatus == 0)
        let port = Ports.free()
        let worker = try ChildProcess(
            executable: TestEnvironment.executable("fcsynth-worker"),
            arguments: ["--namespace", namespace, "--metrics-port", String(port)],
            environment: environment, logName: "metrics-worker")

        let client = RedisClient(url: try TestEnvironment.redis())
        let store = RunStore(redis: client, keys: RunKeys(namespace: namespace, run: "scraped"))
        let deadline = ContinuousClock.now + .seconds(60)
        var status = try await store.status()
        while !status.complete && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            status = try await store.status()
        }
        #expect(status.complete)

        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/metrics")!)
        await worker.terminate()
        let text = String(decoding: data, as: UTF8.self)
        let extractDone = Self.value(
            in: text, of: #"fcsynth_stage_tasks_total{stage="scenario_extract",outcome="done"}"#)
        #expect(extractDone == Double(status.stages["scenario_extract"]?.done ?? -1))
        let conversationDone = Self.value(
            in: text, of: #"fcsynth_stage_tasks_total{stage="conversation",outcome="done"}"#)
        #expect(conversationDone == Double(status.stages["conversation"]?.done ?? -1))
        let extractCalls = Self.value(
            in: text, of: #"fcsynth_llm_request_duration_seconds_count{call="scenario_extract"}"#)
        #expect(extractCalls == Double(status.stages["scenario_extract"]?.llmCalls ?? -1))
        #expect(Self.value(in: text, of: "fcsynth_tasks_in_flight") == 0)
        // An adaptive worker (the default) shows its share; this simulator sets no limit, so no 429.
        #expect((Self.value(in: text, of: "fcsynth_llm_pace_cap") ?? 0) >= 1)
        #expect(Self.value(in: text, of: #"fcsynth_llm_throttled_total{kind="concurrency"}"#) == 0)
        #expect(Self.value(in: text, of: #"fcsynth_llm_throttled_total{kind="rate"}"#) == 0)
        let prompt = Self.value(in: text, of: #"fcsynth_llm_tokens_total{stage="function_gen",kind="prompt"}"#)
        #expect((prompt ?? 0) > 0)
        let judged = status.stages["judge"]?.done ?? -1
        let scores = text.split(separator: "\n").filter {
            $0.hasPrefix(#"fcsynth_judge_scores_total{criterion="user_natural""#)
        }.compactMap { Double($0.split(separator: " ").last ?? "") }.reduce(0, +)
        #expect(scores == Double(judged))
        try await Self.expectValidExposition(text)
    }

    /// Prometheus's own checker reads the scrape: every family grouped under its HELP and TYPE.
    static func expectValidExposition(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "\(TestEnvironment.uniqueName("scrape")).prom")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let promtool = try ChildProcess(
            executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", "promtool check metrics < '\(file.path)'"],
            logName: "promtool")
        #expect(await promtool.exited(within: 60), sourceLocation: sourceLocation)
        #expect(promtool.terminationStatus == 0, "promtool: \(promtool.output)", sourceLocation: sourceLocation)
    }

    static func value(in text: String, of series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap {
            Double($0.split(separator: " ").last ?? "")
        }
    }

    /// The example seed chats, repeated with a row number so that every row differs.
    static func rows(_ count: Int) throws -> URL {
        let seeds = try String(
            contentsOfFile: RedisCredentialTests.repositoryFile("example_data/seed_chats.jsonl"), encoding: .utf8
        )
        .split(separator: "\n")
        let lines = try (0..<count).map { index -> String in
            var row = try JSONCoding.decode([String: JSONValue].self, from: String(seeds[index % seeds.count]))
            row["chat"] = .string("USER: (row \(index)) " + (row["chat"]?.stringValue ?? ""))
            return try JSONCoding.encodeString(row)
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "\(TestEnvironment.uniqueName("rows")).jsonl")
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}
