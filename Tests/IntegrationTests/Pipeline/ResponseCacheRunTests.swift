import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline
@testable import FcsynthRedis

extension PipelineIntegrationTests {
    /// `--cache` across runs over the same rows, against the HTTP simulator, whose own request
    /// count is the oracle for what reached the endpoint. Prints the Redis memory per cached
    /// call (`CACHE …`), the figure docs/performance.md quotes.
    @Suite struct ResponseCacheRunTests {
        static func records(_ fixture: PipelineFixture, _ run: String) async throws -> [ConversationRecord] {
            try await fixture.stream(run).map { try JSONCoding.decode(ConversationRecord.self, from: $0.record) }
        }

        static func calls(_ status: RunStatus) -> Int { status.stages.values.reduce(0) { $0 + $1.llmCalls } }

        @Test func aSecondRunWithCacheAsksTheEndpointNothingAndARunWithoutNeverReadsIt() async throws {
            let fixture = try PipelineFixture()
            let simulator = try await fixture.simulatorProcess(["--latency-ms", "10"])
            let rows = try SeedRows.write(20, to: fixture.file("rows.jsonl"))
            let worker = try fixture.startWorker(llm: .http(baseURL: simulator.baseURL), concurrency: 16)

            func finish(_ run: String, _ options: [String]) async throws -> (RunStatus, Int) {
                let before = try await simulator.stats().requestsTotal
                try await fixture.enqueue(rows, run: run, options)
                let status = try await fixture.waitUntilComplete(run, timeout: 120)
                status.expectAccounted()
                return (status, try await simulator.stats().requestsTotal - before)
            }

            // Two items of one run may ask the very same thing: the later one is a hit already.
            let (first, firstRequests) = try await finish(TestEnvironment.uniqueName("first"), ["--cache"])
            #expect(firstRequests > 0)
            #expect(Self.calls(first) == firstRequests)
            let firstAnswers = firstRequests + first.cacheHits
            let entries = RunKeys.cacheEntries(namespace: fixture.namespace)
            let stored = Int(try await fixture.redis.send("HLEN", entries).integer ?? 0)
            #expect(stored > 0 && stored <= firstRequests)

            let secondRun = TestEnvironment.uniqueName("second")
            let (second, secondRequests) = try await finish(secondRun, ["--cache"])
            #expect(secondRequests == 0, "the second run asked the endpoint \(secondRequests) times")
            #expect(Self.calls(second) == secondRequests, "a cache hit was counted as an LLM call")
            #expect(second.cacheHits == firstAnswers)
            #expect(second.tokensSaved == first.promptTokens + first.completionTokens + first.tokensSaved)
            #expect(second.output == first.output && second.filtered == first.filtered)
            let records = try await Self.records(fixture, secondRun)
            #expect(!records.isEmpty)
            for record in records {
                let provenance = try #require(record.lineage.provenance)
                #expect((provenance.cachedCalls?.values.reduce(0, +) ?? 0) > 0, "\(record.id) does not say cached")
                #expect(!provenance.models.isEmpty, "a cached answer still names its model")
            }

            let thirdRun = TestEnvironment.uniqueName("third")
            let (third, thirdRequests) = try await finish(thirdRun, [])
            #expect(thirdRequests == firstAnswers, "a run without --cache was answered from it")
            #expect(third.cacheHits == 0 && Self.calls(third) == thirdRequests)
            #expect(third.promptTokens + third.completionTokens == second.tokensSaved)
            #expect(try await Self.records(fixture, thirdRun).allSatisfy { $0.lineage.provenance?.cachedCalls == nil })
            #expect(Int(try await fixture.redis.send("HLEN", entries).integer ?? 0) == stored)

            // Redis memory per cached call: the three keys together, over the answers they hold.
            var total = 0
            for key in [
                entries, RunKeys.cacheExpiry(namespace: fixture.namespace),
                RunKeys.cacheBytes(namespace: fixture.namespace),
            ] {
                total += Int(try await fixture.redis.send("MEMORY", "USAGE", key, "SAMPLES", 0).integer ?? 0)
            }
            let answerBytes =
                Int(
                    try await fixture.redis.send("GET", RunKeys.cacheBytes(namespace: fixture.namespace)).string ?? "")
                ?? 0
            var lengths: [Int] = []
            for field in try await fixture.redis.send("HKEYS", entries).array?.compactMap(\.string) ?? [] {
                lengths.append(Int(try await fixture.redis.send("HSTRLEN", entries, field).integer ?? 0))
            }
            lengths.sort()
            print(
                "CACHE cached_calls=\(stored) memory_bytes=\(total) bytes_per_call=\(total / max(1, stored)) answer_bytes=\(answerBytes) median_answer_bytes=\(lengths[lengths.count / 2])"
            )
            #expect(try await fixture.stop(worker) == 0)
        }
    }
}
