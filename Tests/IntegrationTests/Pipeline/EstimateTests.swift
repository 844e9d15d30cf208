import FcsynthRedis
import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline
@testable import FcsynthSystem

extension PipelineIntegrationTests {
    /// `fcsynth estimate` runs a sample through real workers in a private Redis, against the HTTP
    /// simulator, whose own request counts are the oracle; afterwards nothing of it is left: no
    /// temporary folder, no process, no key in the configured Redis.
    @Suite struct EstimateTests {
        /// Each test gets a temporary folder of its own (TMPDIR), so that whatever the
        /// estimate leaves there is seen.
        struct Started {
            let fixture: PipelineFixture
            let temporary: URL
            let environment: [String: String]

            init() throws {
                fixture = try PipelineFixture()
                temporary = fixture.file("tmp")
                try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
                // FCSYNTH_REDIS_URL stays set: the estimate must not use it.
                var environment = fixture.environment
                environment["TMPDIR"] = temporary.path
                self.environment = environment
            }

            /// Runs `fcsynth estimate` to its end while `progress` moves.
            func estimate(
                _ arguments: [String], whileProgressing progress: () async throws -> Int
            ) async throws -> (outcome: CommandOutcome, pid: pid_t) {
                let child = try fixture.start(["estimate"] + arguments, namespaced: false, environment: environment)
                let outcome = try await fixture.waitForEnd(of: child, whileProgressing: progress, stall: 120) {
                    last, child in "fcsynth estimate made no progress for 120 s (at \(last)):\n\(child.output)"
                }
                return (outcome, child.pid)
            }

            /// No temporary file, no private redis-server, no worker of that estimate, and no key
            /// of its runs in the configured Redis.
            func expectNothingLeft(_ outcome: CommandOutcome, pid: pid_t) async throws {
                let left = try FileManager.default.contentsOfDirectory(atPath: temporary.path)
                #expect(left.isEmpty, "left in TMPDIR: \(left)")
                let match = try #require(
                    outcome.output.firstMatch(of: /private Redis \(PID (\d+), port (\d+)\)/), "\(outcome.output)")
                let redisPID = try #require(Int32(match.1))
                let commandLine = (try? String(contentsOfFile: "/proc/\(redisPID)/cmdline", encoding: .utf8)) ?? ""
                #expect(!commandLine.contains("redis-server"), "the private redis-server \(redisPID) still runs")
                let workers = try FileManager.default.contentsOfDirectory(atPath: "/proc").filter { entry in
                    guard Int32(entry) != nil else { return false }
                    let line = (try? String(contentsOfFile: "/proc/\(entry)/cmdline", encoding: .utf8)) ?? ""
                    return line.contains("fcsynth-worker") && line.contains("local-\(pid)-")
                }
                #expect(workers.isEmpty, "workers of the estimate still run: \(workers)")
                let keys = try await fixture.redis.send("KEYS", "*{estimate-*").array ?? []
                #expect(keys.isEmpty, "the configured Redis holds \(keys.count) keys of the estimate")
            }
        }

        /// The example file's rows that enqueue takes: a JSON object with a non-empty "chat".
        static func validRows() throws -> Int {
            let data = try Data(contentsOf: SeedRows.exampleFile)
            return data.split(separator: UInt8(ascii: "\n")).filter { line in
                let row = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
                return (row?["chat"] as? String).map { !$0.isEmpty } ?? false
            }.count
        }

        static func report(in outcome: CommandOutcome) throws -> EstimateReport {
            let line = try #require(
                outcome.output.split(separator: "\n").first { $0.hasPrefix("{") }, "no JSON in: \(outcome.output)")
            return try JSONCoding.decode(EstimateReport.self, from: Data(line.utf8))
        }

        @Test func theSampleCostsWhatTheEndpointSawAndProjectsToTheFile() async throws {
            let started = try Started()
            let simulator = try await started.fixture.simulatorProcess(["--latency-ms", "20"])
            let (outcome, pid) = try await started.estimate(
                [
                    SeedRows.exampleFile.path, "--sample", "12", "--json", "--llm-url", simulator.baseURL, "--model",
                    "simulated", "--price-prompt-per-million", "1", "--price-completion-per-million", "2",
                ], whileProgressing: { try await simulator.stats().requestsTotal })
            #expect(outcome.status == 0, "\(outcome.output)")
            let report = try Self.report(in: outcome)
            let stats = try await simulator.stats()

            // The endpoint's own count of requests, call by call, is what the sample reports.
            let conversationCalls = ["conv_user", "conv_assistant", "conv_tool", "conv_tool_error"].reduce(0) {
                $0 + stats.count(call: $1)
            }
            #expect(stats.requestsTotal == report.sample.calls && stats.requestsTotal > 0, "\(stats.byCall)")
            #expect(report.sample.stages["conversation"]?.calls == conversationCalls)
            for (stage, use) in report.sample.stages where stage != StageName.conversation.rawValue {
                #expect(stats.count(call: stage) == use.calls, "\(stage)")
            }

            // 12 rows in 4 runs of 3: the mean of the runs' figures per row is the sample's per row.
            let rows = try Self.validRows()
            let estimate = report.estimate
            #expect(report.rows == rows && estimate.projection.rows == rows)
            #expect(report.sample.rows == 12 && report.sample.batches == 4 && estimate.batches == 4)
            let callsPerRow = Double(stats.requestsTotal) / 12
            #expect(abs(estimate.total.perRow.calls.mean - callsPerRow) < 1e-9)
            #expect(abs(estimate.projection.calls.mean - callsPerRow * Double(rows)) < 1e-6)
            let promptPerRow = Double(report.sample.promptTokens) / 12
            let completionPerRow = Double(report.sample.completionTokens) / 12
            #expect(abs(estimate.projection.promptTokens.mean - promptPerRow * Double(rows)) < 1e-6)
            #expect(abs(estimate.projection.completionTokens.mean - completionPerRow * Double(rows)) < 1e-6)
            let cost = try #require(estimate.projection.cost)
            #expect(abs(cost.mean - (promptPerRow * 1 + completionPerRow * 2) / 1e6 * Double(rows)) < 1e-9)

            // Without expansion and with one atomic task, a row gives at most one conversation.
            #expect((0...1).contains(estimate.yield.mean))
            #expect(abs(estimate.yield.mean - Double(report.sample.output) / 12) < 1e-9)
            #expect(report.sample.output + report.sample.filtered + report.sample.dead == 12)
            for interval in [estimate.total.perRow.calls, estimate.yield, estimate.projection.wallSeconds] {
                #expect((interval.low ?? .nan) <= interval.mean && interval.mean <= (interval.high ?? .nan))
            }

            // Every call waited the simulator's 20 ms; the wall time is the largest bound.
            let latency = try #require(estimate.total.latencySeconds)
            #expect(latency.mean >= 0.02, "\(latency)")
            let bounds = estimate.projection.bounds
            #expect(Set(bounds.keys) == ["concurrency", "chain"], "\(bounds)")
            #expect(bounds[estimate.projection.decidedBy.rawValue]?.mean == bounds.values.map(\.mean).max())
            // With no fan-out a step's items are at most the rows, so the chain is at least the calls per row.
            #expect(estimate.chainCalls.mean >= estimate.total.perRow.calls.mean - 1e-9)

            try await started.expectNothingLeft(outcome, pid: pid)
        }

        /// A sample that keeps nothing is an error (exit status 1) that names why, most frequent first.
        @Test func aSampleThatKeepsNothingSaysWhy() async throws {
            let started = try Started()
            let simulator = try await started.fixture.simulatorProcess([])
            let (outcome, pid) = try await started.estimate(
                [
                    SeedRows.exampleFile.path, "--sample", "8", "--llm-url", simulator.baseURL, "--model", "simulated",
                    "--max-rounds", "1",
                ], whileProgressing: { try await simulator.stats().requestsTotal })
            #expect(outcome.status == 1, "\(outcome.output)")
            #expect(outcome.output.contains("kept no conversation (yield 0)"), "\(outcome.output)")
            #expect(
                outcome.output.contains(#/\d+ × conversation: no final answer after 1 rounds/#), "\(outcome.output)")
            try await started.expectNothingLeft(outcome, pid: pid)
        }

        /// An endpoint that refuses every connection stops the sample with a clear error.
        @Test func anEndpointThatRefusesFailsClearlyAndCleansUp() async throws {
            let started = try Started()
            let (outcome, pid) = try await started.estimate(
                [
                    SeedRows.exampleFile.path, "--sample", "8", "--llm-url", "http://127.0.0.1:\(Ports.free())/v1",
                    "--model", "simulated",
                ], whileProgressing: { 0 })
            #expect(outcome.status == 1, "\(outcome.output)")
            #expect(outcome.output.contains("the LLM endpoint is not answering"), "\(outcome.output)")
            #expect(outcome.output.contains("transport_connect_refused"), "\(outcome.output)")
            try await started.expectNothingLeft(outcome, pid: pid)
        }
    }
}
