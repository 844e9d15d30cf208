import Foundation
import Synchronization
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline
@testable import FcsynthRedis
@testable import FcsynthStages

/// A task's later attempts take the answers its earlier ones received from Redis instead of
/// the endpoint, and every answer is counted once; measured against a backend that counts
/// what it was asked.
@Suite struct ReplayTests {
    /// Asks three questions, the third the same as the first, and retries when told to.
    struct ThreeQuestions: Stage {
        let name = StageName.scenarioExtract

        func process(_ item: WorkItem, context: StageContext) async throws -> StageResult {
            var answers: [String] = []
            for question in ["first", "second", "first"] {
                let request = ChatRequest(call: "ask", messages: [.user("\(question) about \(item.id)")])
                answers.append(try await context.llm.complete(request).content)
            }
            if answers.contains("refuse") { return StageResult(outcome: .retry(reason: "refused", kind: "refused")) }
            var next = item
            next.scenario = answers.joined(separator: ",")
            return StageResult(outcome: .next([StageTask(stage: .atomTask, item: next)]))
        }
    }

    /// Answers from a script, in order, and fails where the script says `nil`.
    final class CountingLLM: LLMBackend {
        let identity = BackendIdentity(kind: .http, endpoint: "test", model: "m")
        private let script: Mutex<[String?]>
        let asked = Atomic(0)

        init(_ script: [String?]) { self.script = Mutex(script) }

        func complete(_ request: ChatRequest) async throws -> ChatResponse {
            asked.add(1, ordering: .relaxed)
            let next = script.withLock { $0.isEmpty ? "spare" : $0.removeFirst() }
            guard let next else { throw LLMError.transport(.timeout, message: "scripted failure") }
            return ChatResponse(
                content: next, usage: TokenUsage(promptTokens: 10, completionTokens: 2), latency: 0.125)
        }
    }

    struct Setup {
        let redis: RedisClient
        let keys: RunKeys
        let queue: TaskQueue
        let entry: Data

        init(replay: Bool = true) async throws {
            redis = RedisClient(url: try TestEnvironment.redis())
            try await PipelineScripts.load(into: redis)
            keys = RunKeys(namespace: TestEnvironment.uniqueName("replay"), run: "r")
            queue = TaskQueue(redis: redis, keys: keys, worker: "w1")
            let item = WorkItem(id: "7", line: 7, seed: "USER: hello")
            entry = try TaskEnvelope(run: "r", stage: .scenarioExtract, item: item).encoded()
            var settings = RunSettings()
            settings.replay = replay
            self.settings = settings
            _ = try await redis.send("HSET", keys.meta, "state", "enqueued")
        }

        let settings: RunSettings

        /// Claims the task from wherever it waits.
        func claim() async throws -> ClaimedEntry {
            _ = try await redis.send("DEL", keys.delayed)
            _ = try await redis.send("RPUSH", keys.queue(.scenarioExtract), currentEntry)
            let claimed = try await queue.claim(upTo: 1, lease: .seconds(30))
            #expect(claimed.count == 1)
            return try #require(claimed.first)
        }

        /// Claims the task and runs one attempt of it, reading its replay hash if the claim says so.
        func attempt(_ llm: CountingLLM) async throws -> Completion {
            try await attempt(llm, of: try await claim())
        }

        func attempt(_ llm: CountingLLM, of claimed: ClaimedEntry) async throws -> Completion {
            let processor = TaskProcessor(
                stages: [.scenarioExtract: ThreeQuestions()], llm: llm, outage: OutageDetector(), backoff: nil,
                redis: redis)
            return try #require(
                await processor.process(
                    claimed.entry, keys: keys, settings: settings, mayHoldAnswers: claimed.mayHoldAnswers))
        }

        var isAnswered: Bool {
            get async throws { try await redis.send("SISMEMBER", keys.answered, tid).integer == 1 }
        }

        let tid = "7|scenario_extract|0"

        /// The entry as the last retry left it, or the first one.
        var currentEntry: Data {
            get async throws {
                let delayed = try await redis.send("ZRANGE", keys.delayed, 0, -1).array?.compactMap(\.data) ?? []
                return delayed.first ?? entry
            }
        }

        func counters() async throws -> [String: Int] {
            try await redis.send("HGETALL", keys.counters).fieldValues.mapValues { Int($0.string ?? "") ?? 0 }
        }

        var replayExists: Bool {
            get async throws { try await redis.send("EXISTS", keys.replay(tid: tid)).integer == 1 }
        }
    }

    @Test func anAttemptAfterACrashReplaysEveryAnswerAndCountsThemOnce() async throws {
        let setup = try await Setup()
        defer { setup.redis.close() }
        let first = CountingLLM(["a1", "a2", "a3"])
        _ = try await setup.attempt(first)
        // The worker dies here: its hand-off never reaches Redis, and its tasks are recovered.
        _ = try await setup.redis.send("DEL", setup.keys.inflight(worker: "w1"))
        let second = CountingLLM([])
        let completion = try await setup.attempt(second)
        #expect(first.asked.load(ordering: .relaxed) == 3 && second.asked.load(ordering: .relaxed) == 0)
        let pushed = completion.operations.compactMap { operation -> Data? in
            if case .push(_, let data) = operation { data } else { nil }
        }
        #expect(try TaskEnvelope.decode(try #require(pushed.first)).item.scenario == "a1,a2,a3")
        #expect(try await setup.queue.complete([completion]).applied == 1)
        let counters = try await setup.counters()
        #expect(counters["llm_calls:scenario_extract"] == 3, "the dead attempt's answers were paid once: counted now")
        #expect(counters["tokens_prompt:scenario_extract"] == 30 && counters["tokens_completion:scenario_extract"] == 6)
        #expect(counters["llm_ms:scenario_extract"] == 375, "the dead attempt's calls took 125 ms each, counted once")
        #expect(counters["replayed_calls:scenario_extract"] == 3 && counters["tokens_saved:scenario_extract"] == 36)
        #expect(try await !setup.replayExists, "a task that moved on keeps no answers")
    }

    /// The claim tells a first attempt from one that may find answers, so that only the latter
    /// reads the replay hash: a tid joins `answered` with its first stored answer and leaves it
    /// when the task moves on.
    @Test func aClaimSaysWhetherAnEarlierAttemptLeftAnswers() async throws {
        let setup = try await Setup()
        defer { setup.redis.close() }
        let fresh = try await setup.claim()
        #expect(!fresh.mayHoldAnswers, "a task no attempt has answered")
        let first = CountingLLM(["a1", "a2", "a3"])
        _ = try await setup.attempt(first, of: fresh)
        #expect(try await setup.isAnswered)

        // The worker dies before its hand-off: the next claim says to read the hash, and nothing is asked again.
        _ = try await setup.redis.send("DEL", setup.keys.inflight(worker: "w1"))
        let recovered = try await setup.claim()
        #expect(recovered.mayHoldAnswers)
        let second = CountingLLM([])
        _ = try await setup.attempt(second, of: recovered)
        #expect(second.asked.load(ordering: .relaxed) == 0)

        // Answers stored where `answered` does not name the task are not read: the flag alone decides.
        _ = try await setup.redis.send("DEL", setup.keys.inflight(worker: "w1"))
        _ = try await setup.redis.send("SREM", setup.keys.answered, setup.tid)
        let unflagged = try await setup.claim()
        #expect(!unflagged.mayHoldAnswers)
        let third = CountingLLM(["b1", "b2", "b3"])
        let completion = try await setup.attempt(third, of: unflagged)
        #expect(third.asked.load(ordering: .relaxed) == 3)
        #expect(try await setup.isAnswered, "its new answers flag it again")

        #expect(try await setup.queue.complete([completion]).applied == 1)
        #expect(try await !setup.isAnswered, "a task that moved on is no longer flagged")
        #expect(try await !setup.replayExists)
    }

    /// A read of the replay hash whose connection broke is sent again on a new one, rather than
    /// starting the task without the answers it holds.
    @Test func aReplayReadWhoseConnectionBrokeIsSentAgain() async throws {
        let setup = try await Setup()
        defer { setup.redis.close() }
        _ = try await setup.attempt(CountingLLM(["a1", "a2", "a3"]))
        let reader = RedisClient(url: try TestEnvironment.redis())
        defer { reader.close() }
        let id = try #require(try await reader.send("CLIENT", "ID").integer)
        #expect(try await setup.redis.send("CLIENT", "KILL", "ID", id).integer == 1)

        let book = try #require(await ReplayStore(redis: reader, keys: setup.keys, tid: setup.tid).load())
        let asked = ChatRequest(call: "ask", messages: [.user("second about 7")])
        #expect(book.lookUp(asked, model: "m").reply?.response.content == "a2")
    }

    /// In batch mode a task whose stored answers cannot be read must not park: its request
    /// would go into another batch, and the provider would answer it twice. It is retried.
    @Test func aBatchTaskWhoseAnswersCannotBeReadIsRetriedNotParked() async throws {
        let setup = try await Setup()
        defer { setup.redis.close() }
        let claimed = try await setup.claim()
        let unreachable = RedisClient(
            url: try RedisURL(parsing: "redis://127.0.0.1:1"), options: .failFast)
        defer { unreachable.close() }
        var settings = setup.settings
        settings.batch = BatchSettings()
        let llm = CountingLLM([])
        let processor = TaskProcessor(
            stages: [.scenarioExtract: ThreeQuestions()], llm: llm, outage: OutageDetector(), backoff: nil,
            redis: unreachable)
        let completion = try #require(
            await processor.process(claimed.entry, keys: setup.keys, settings: settings, mayHoldAnswers: true))

        var parked = false
        var delayed = false
        var counted: [String] = []
        for operation in completion.operations {
            switch operation {
            case .park: parked = true
            case .delay: delayed = true
            case .increment(let field, _): counted.append(field)
            default: break
            }
        }
        #expect(!parked && delayed)
        #expect(counted.contains("errors:replay_store"), "\(counted)")
        #expect(llm.asked.load(ordering: .relaxed) == 0)
    }

    @Test func aRetryAsksAgainOnlyWhatFailedOrWasRefused() async throws {
        let setup = try await Setup()
        defer { setup.redis.close() }
        // The endpoint fails the second question: the retry replays the first answer only.
        let first = CountingLLM(["a1", nil])
        let failed = try await setup.attempt(first)
        #expect(try await setup.queue.complete([failed]).applied == 1)
        // The stage refuses the third answer: the next retry asks that one again.
        let second = CountingLLM(["a2", "refuse"])
        let refused = try await setup.attempt(second)
        #expect(try await setup.queue.complete([refused]).applied == 1)
        let third = CountingLLM(["a3"])
        let done = try await setup.attempt(third)
        #expect(try await setup.queue.complete([done]).applied == 1)

        let asked = [first, second, third].map { $0.asked.load(ordering: .relaxed) }
        #expect(asked == [2, 2, 1])
        let pushed = done.operations.compactMap { operation -> Data? in
            if case .push(_, let data) = operation { data } else { nil }
        }
        #expect(try TaskEnvelope.decode(try #require(pushed.first)).item.scenario == "a1,a2,a3")
        let counters = try await setup.counters()
        // Four answers arrived (a1, a2, refuse, a3): each counted once.
        #expect(counters["llm_calls:scenario_extract"] == 4 && counters["tokens_prompt:scenario_extract"] == 40)
        #expect(counters["llm_ms:scenario_extract"] == 500, "replayed answers add no time")
        #expect(counters["replayed_calls:scenario_extract"] == 3, "a1 twice, a2 once")
        #expect(counters["retried:scenario_extract"] == 2 && counters["done:scenario_extract"] == 1)
        #expect(try await !setup.replayExists)
    }

    @Test func withoutReplayEveryAttemptPaysAgainAndNothingIsKept() async throws {
        let setup = try await Setup(replay: false)
        defer { setup.redis.close() }
        _ = try await setup.attempt(CountingLLM(["a1", "a2", "a3"]))
        #expect(try await !setup.replayExists)
        _ = try await setup.redis.send("DEL", setup.keys.inflight(worker: "w1"))
        let second = CountingLLM(["b1", "b2", "b3"])
        let completion = try await setup.attempt(second)
        #expect(second.asked.load(ordering: .relaxed) == 3)
        #expect(try await setup.queue.complete([completion]).applied == 1)
        let counters = try await setup.counters()
        #expect(counters["llm_calls:scenario_extract"] == 3 && counters["replayed_calls:scenario_extract"] == nil)
    }
}
