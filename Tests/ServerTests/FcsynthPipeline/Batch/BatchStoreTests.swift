import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline
@testable import FcsynthRedis

/// Batch mode's Redis side against a real redis-server: a task parks with its request, the
/// leader drafts, records and settles batches, and each step applies once however often it is
/// repeated. The endpoint is a backend that counts what it is asked: in batch mode, nothing.
@Suite struct BatchStoreTests {
    struct Setup {
        let redis: RedisClient
        let keys: RunKeys
        let queue: TaskQueue
        let store: BatchStore
        let entry: Data
        var settings = RunSettings()
        static let tid = "7|scenario_extract|0"

        init() async throws {
            redis = RedisClient(url: try TestEnvironment.redis())
            try await PipelineScripts.load(into: redis)
            keys = RunKeys(namespace: TestEnvironment.uniqueName("batch"), run: "r")
            queue = TaskQueue(redis: redis, keys: keys, worker: "w1")
            store = BatchStore(redis: redis, keys: keys)
            entry = try TaskEnvelope(
                run: "r", stage: .scenarioExtract, item: WorkItem(id: "7", line: 7, seed: "USER: hello")
            ).encoded()
            settings.batch = BatchSettings()
            settings.maxAttempts = 2
            _ = try await redis.send("HSET", keys.meta, "state", "enqueued")
            _ = try await redis.send("RPUSH", keys.queue(.scenarioExtract), entry)
        }

        /// Claims the task from its queue and runs one attempt; the endpoint must never be asked.
        func attempt() async throws -> Completion {
            let claimed = try await queue.claim(upTo: 1, lease: .seconds(30))
            #expect(claimed.count == 1)
            let llm = ReplayTests.CountingLLM([])
            let processor = TaskProcessor(
                stages: [.scenarioExtract: ReplayTests.ThreeQuestions()], llm: llm, outage: OutageDetector(),
                backoff: nil, redis: redis)
            let completion = try #require(
                await processor.process(
                    claimed[0].entry, keys: keys, settings: settings, mayHoldAnswers: claimed[0].mayHoldAnswers))
            #expect(llm.asked.load(ordering: .relaxed) == 0, "a batch-mode task called the endpoint")
            return completion
        }

        func count(_ command: String, _ key: String) async throws -> Int {
            Int(try await redis.send(command, key).integer ?? -1)
        }

        func counters() async throws -> [String: Int] {
            try await redis.send("HGETALL", keys.counters).fieldValues.mapValues { Int($0.string ?? "") ?? 0 }
        }

        /// The one request the run's only batch holds, drafted by `w1`.
        func draftOne(_ batch: String) async throws -> ParkedRequest {
            #expect(try await store.lead(token: "w1", lease: .seconds(30)))
            #expect(try await store.draft(batch, token: "w1", settings: BatchSettings(), limits: .openAI) == 1)
            return try #require(try await store.requests(of: batch).values.first)
        }
    }

    static func answer(_ content: String) -> StoredReply {
        var reply = StoredReply(
            ChatResponse(content: content, usage: TokenUsage(promptTokens: 10, completionTokens: 2)))
        reply.batch = true
        return reply
    }

    @Test func aParkedTaskComesBackWithItsAnswerAndParksAgainAtTheNextQuestion() async throws {
        let setup = try await Setup()
        defer { setup.redis.close() }
        let parked = try await setup.attempt()
        #expect(try await setup.queue.complete([parked]).applied == 1)
        #expect(try await setup.count("HLEN", setup.keys.parked) == 1)
        #expect(try await setup.count("ZCARD", setup.keys.batchPending) == 1)
        #expect(try await setup.count("HLEN", setup.keys.inflight(worker: "w1")) == 0, "a parked task holds a slot")
        #expect(try await setup.counters()["inflight:scenario_extract"] == 0)
        #expect(
            try await RunStore(redis: setup.redis, keys: setup.keys).status().stages.values.allSatisfy {
                $0.queued == 0
            })
        #expect(
            try await !RunStore(redis: setup.redis, keys: setup.keys).status().complete,
            "a run with a parked task is complete")

        let request = try await setup.draftOne("b1")
        #expect(request.tid == Setup.tid && request.request.messages.last?.content == "first about 7")
        #expect(try await setup.count("ZCARD", setup.keys.batchPending) == 0)
        #expect(try await setup.store.record("b1", providerID: "p1", inputFile: "f1") == 1)
        let settlement = BatchSettlement(request: request, outcome: .answer(Self.answer("a1")))
        #expect(try await setup.store.settle("b1", lines: [settlement]))
        #expect(try await setup.count("HLEN", setup.keys.parked) == 0)
        #expect(try await setup.count("LLEN", setup.keys.queue(.scenarioExtract)) == 1)
        #expect(try await setup.count("EXISTS", setup.keys.batches) == 0, "a settled batch stays open")
        // Settling the same line again (a leader that died settling) adds nothing.
        #expect(try await !setup.store.settle("b1", lines: [settlement]))
        #expect(try await setup.count("LLEN", setup.keys.queue(.scenarioExtract)) == 1)
        let counters = try await setup.counters()
        #expect(counters["batch_answered"] == 1 && counters["batch_rounds"] == 1)

        // The next attempt replays the first answer and parks on the second question.
        let again = try await setup.attempt()
        #expect(try await setup.queue.complete([again]).applied == 1)
        let members = try await setup.redis.send("ZRANGE", setup.keys.batchPending, 0, -1).array ?? []
        let next = try ParkedRequest.read(member: try #require(members.first?.data))
        #expect(next.request.messages.last?.content == "second about 7")
        let afterPark = try await setup.counters()
        #expect(afterPark["llm_calls:scenario_extract"] == 1 && afterPark["batch_calls:scenario_extract"] == 1)
        #expect(afterPark["tokens_prompt:scenario_extract"] == 10 && afterPark["batch_tokens"] == 12)
        #expect(afterPark["parked:scenario_extract"] == 2)
    }

    @Test func aDraftIsTheLeadersAndItsProviderBatchIsRecordedOnce() async throws {
        let setup = try await Setup()
        defer { setup.redis.close() }
        #expect(try await setup.queue.complete([try await setup.attempt()]).applied == 1)
        #expect(try await setup.store.lead(token: "w1", lease: .seconds(30)))
        #expect(try await !setup.store.lead(token: "w2", lease: .seconds(30)), "two leaders at once")
        #expect(try await setup.store.draft("b1", token: "w2", settings: BatchSettings(), limits: .openAI) == 0)
        #expect(try await setup.store.draft("b1", token: "w1", settings: BatchSettings(), limits: .openAI) == 1)
        #expect(try await setup.store.draft("b2", token: "w1", settings: BatchSettings(), limits: .openAI) == 0)
        #expect(try await setup.store.record("b1", providerID: "p1", inputFile: "f1") == 1)
        #expect(try await setup.store.record("b1", providerID: "p1", inputFile: "") == 1, "adopting it again")
        #expect(try await setup.store.record("b1", providerID: "p2", inputFile: "f2") == 0, "a second batch won")
        #expect(try await setup.store.record("gone", providerID: "p3", inputFile: "f3") == -1)
        let records = try await setup.store.overview().batches
        #expect(records["b1"]?.providerID == "p1" && records["b1"]?.state == .submitted)
        #expect(records["b1"]?.requests == 1)
        // A clean stop's 1 ms lease ends the lead, and another worker takes it.
        _ = try await setup.store.lead(token: "w1", lease: .milliseconds(1))
        let taken = try await Self.eventually { try await setup.store.lead(token: "w2", lease: .seconds(30)) }
        #expect(taken)
    }

    @Test func aFailedLineGoesBackToPendingThenPastTheLimitTheTaskIsDeadWithItsEntry() async throws {
        let setup = try await Setup()
        defer { setup.redis.close() }
        #expect(try await setup.queue.complete([try await setup.attempt()]).applied == 1)
        let request = try await setup.draftOne("b1")
        var retried = request
        retried.attempts = 1
        retried.lastError = "http_500: boom"
        #expect(try await setup.store.settle("b1", lines: [.init(request: request, outcome: .retry(retried))]))
        let back = try await setup.redis.send("ZRANGE", setup.keys.batchPending, 0, -1).array ?? []
        #expect(try ParkedRequest.read(member: try #require(back.first?.data)) == retried)
        #expect(try await setup.count("HLEN", setup.keys.parked) == 1, "the task left before its answer came")

        let second = try await setup.draftOne("b2")
        #expect(second.attempts == 1)
        let parkedEntry = try await setup.store.parkedTasks([Setup.tid])[Setup.tid]
        let record = RemovedItem(
            id: "7", line: 7, stage: "scenario_extract", reason: "failed twice", attempts: 2, item: nil,
            task: parkedEntry.map { String(decoding: $0, as: UTF8.self) })
        #expect(try await setup.store.settle("b2", lines: [.init(request: second, outcome: .fail(record))]))
        #expect(try await setup.count("HLEN", setup.keys.parked) == 0)
        let dead = try await setup.redis.send("LRANGE", setup.keys.dead, 0, -1).array ?? []
        let entry = try JSONCoding.decode(RemovedItem.self, from: try #require(dead.first?.data))
        #expect(entry.reason == "failed twice" && entry.task?.contains(Setup.tid) == true)
        let counters = try await setup.counters()
        #expect(counters["dead"] == 1 && counters["failed:scenario_extract"] == 1)
        #expect(counters["batch_retried"] == 1 && counters["batch_failed"] == 1 && counters["batch_rounds"] == 2)
        // The dead task can be sent back as any other.
        #expect(try await RunStore(redis: setup.redis, keys: setup.keys).requeueDead() == 1)
        #expect(try await setup.count("LLEN", setup.keys.queue(.scenarioExtract)) == 1)
    }

    @Test func aCancelledRunParksNothingAndAPurgedOneKeepsNoAnswer() async throws {
        let setup = try await Setup()
        defer { setup.redis.close() }
        #expect(try await setup.queue.complete([try await setup.attempt()]).applied == 1)
        let request = try await setup.draftOne("b1")
        _ = try await setup.redis.send("HSET", setup.keys.meta, "state", "cancelled")
        #expect(
            try await setup.store.settle("b1", lines: [.init(request: request, outcome: .answer(Self.answer("a")))]))
        #expect(try await setup.count("LLEN", setup.keys.queue(.scenarioExtract)) == 0, "a cancelled run went on")

        let purged = try await Setup()
        defer { purged.redis.close() }
        let parked = try await purged.attempt()
        _ = try await purged.redis.send("HSET", purged.keys.meta, "state", "cancelled")
        #expect(try await purged.queue.complete([parked]).applied == 1)
        #expect(try await purged.count("HLEN", purged.keys.parked) == 0)
        #expect(try await purged.count("ZCARD", purged.keys.batchPending) == 0)

        _ = try await purged.redis.send("HSET", purged.keys.meta, "state", "enqueued")
        _ = try await purged.redis.send("RPUSH", purged.keys.queue(.scenarioExtract), purged.entry)
        #expect(try await purged.queue.complete([try await purged.attempt()]).applied == 1)
        let late = try await purged.draftOne("b1")
        try await RunStore(redis: purged.redis, keys: purged.keys).purge()
        #expect(try await !purged.store.settle("b1", lines: [.init(request: late, outcome: .answer(Self.answer("a")))]))
        #expect(try await purged.count("EXISTS", purged.keys.replay(tid: Setup.tid)) == 0)
    }

    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }
}
