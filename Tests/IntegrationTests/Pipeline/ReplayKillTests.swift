import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

extension PipelineIntegrationTests {
    /// A worker killed between receiving answers and handing them off: the worker that takes
    /// its tasks over replays those answers, and the endpoint is never asked the same thing
    /// twice, but for the calls that were in flight at the kill.
    @Suite struct ReplayKillTests {
        @Test func aKilledWorkersAnswersAreReplayedNotPaidAgain() async throws {
            let fixture = try PipelineFixture()
            let simulator = try await fixture.simulatorProcess(["--latency-ms", "150"])
            let llm = WorkerLLM.http(baseURL: simulator.baseURL)
            let run = TestEnvironment.uniqueName("replay")
            let file = try SeedRows.write(6, to: fixture.file("rows.jsonl"))
            // Every item goes all the way, so that there are many answers to be caught holding.
            try await fixture.enqueue(file, run: run, ["--no-judge", "--no-dedup"])
            let concurrency = 2
            // Through a proxy that holds each chunk 50 ms, an answer sits in Redis for at least
            // 100 ms before its hand-off can clear it: a local Redis made that window so short
            // that a loaded machine's snapshots could miss it for a whole run.
            let proxy = try LatencyProxy(to: fixture.redisURL.port, delay: .milliseconds(50))
            defer { proxy.stop() }
            var proxied = fixture.redisURL
            proxied.port = proxy.port
            var environment = fixture.environment
            environment["FCSYNTH_REDIS_URL"] = proxied.secretText
            let first = try fixture.startWorker(
                runs: [run], llm: llm, concurrency: concurrency, lease: 2, environment: environment)

            // Each conversation turn is a task of its own: a task holds its answer from the moment
            // it arrives to its hand-off. The worker is frozen at such a moment, and killed there.
            let pattern = fixture.keys(run).replay(tid: "*")
            func storedAnswers() async throws -> Int {
                var answers = 0
                for key in try await fixture.redis.send("KEYS", pattern).array?.compactMap(\.string) ?? [] {
                    let fields = try await fixture.redis.send("HKEYS", key).array?.compactMap(\.string) ?? []
                    answers += fields.filter { $0.hasPrefix(ReplayBook.answerPrefix) }.count
                }
                return answers
            }
            // Snapshots of the frozen worker, until one shows it holding an answer. Frozen, it
            // sends nothing; what it sent before is through the proxy 200 ms later, and from
            // then on what Redis holds for it cannot change while the test looks.
            var answered = 0
            while answered == 0 {
                first.process.signal(SIGSTOP)
                if try await storedAnswers() > 0 {
                    try await Task.sleep(for: .milliseconds(200))
                    answered = try await storedAnswers()
                }
                if answered > 0 { break }
                let finished = try await fixture.store(run).status().complete
                try #require(!finished, "the run ended before an answer was caught: \(fixture.workerLogs())")
                first.process.signal(SIGCONT)
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...15)))
            }
            #expect(answered > 0, "the worker was never caught holding an answer")
            first.process.signal(SIGKILL)
            #expect(try await PipelineFixture.waitForExit(first.process, timeout: 30))

            let second = try fixture.startWorker(runs: [run], llm: llm, concurrency: concurrency, lease: 2)
            let status = try await fixture.waitUntilComplete(run, timeout: 120)
            status.expectAccounted()
            #expect(status.recovered > 0)
            #expect(status.replayedCalls >= answered, "replayed \(status.replayedCalls) of \(answered) answers")
            #expect(status.tokensSaved > 0)
            #expect(try await storedAnswers() == 0, "every task moved on and let go of its answers")

            // Every answer the endpoint gave is counted once; it gave more only for the calls
            // the killed worker had in flight.
            let counted = status.stages.values.reduce(0) { $0 + $1.llmCalls }
            let served = try await simulator.stats().requestsTotal
            #expect(served >= counted && served <= counted + concurrency, "served \(served), counted \(counted)")
            #expect(try await fixture.stop(second) == 0)
        }
    }
}
