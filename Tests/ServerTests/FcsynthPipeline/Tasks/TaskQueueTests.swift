import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline
@testable import FcsynthRedis

/// The scripts through their Swift callers on the test Redis, each test on a run of its own:
/// every key they touch comes in through KEYS, and the moves keep their promises. Times are
/// Redis's: a lease is made to expire by moving its score behind Redis's clock.
@Suite struct TaskQueueTests {
    let client: RedisClient
    let keys: RunKeys

    init() throws {
        client = RedisClient(url: try TestEnvironment.redis())
        keys = RunKeys(namespace: TestEnvironment.uniqueName("ns"), run: "r")
    }

    func queue(_ worker: String) -> TaskQueue { TaskQueue(redis: client, keys: keys, worker: worker) }

    /// `count` first-stage tasks, counted as items, in a run ready to be claimed.
    func seed(_ count: Int, stage: StageName = .scenarioExtract) async throws -> [TaskEnvelope] {
        let envelopes = (1...count).map {
            TaskEnvelope(run: keys.run, stage: stage, item: WorkItem(id: "\($0)", line: $0, seed: "USER: hi \($0)"))
        }
        var commands = [
            RedisCommand("HSET", keys.meta, "state", "enqueued"),
            RedisCommand("HINCRBY", keys.counters, "items", count),
        ]
        for envelope in envelopes { commands.append(RedisCommand("RPUSH", keys.queue(stage), try envelope.encoded())) }
        for reply in try await client.execute(commands) { _ = try reply.orThrow() }
        return envelopes
    }

    func counters() async throws -> [String: Int] {
        let fields = try await client.send("HGETALL", keys.counters).array?.compactMap(\.string) ?? []
        return Dictionary(
            uniqueKeysWithValues: stride(from: 0, to: fields.count - 1, by: 2).map {
                (fields[$0], Int(fields[$0 + 1]) ?? 0)
            })
    }

    func length(_ key: String, _ command: String = "LLEN") async throws -> Int {
        Int(try await client.send(command, key).integer ?? -1)
    }

    /// Redis's clock, in ms since 1970.
    func redisNow() async throws -> Int64 {
        try #require(try await client.send("TIME").timeMilliseconds)
    }

    func score(_ key: String, _ member: String) async throws -> Int64? {
        try await client.send("ZSCORE", key, member).string.flatMap(Int64.init)
    }

    /// Puts a worker's lease behind Redis's clock, as if it had gone silent that long ago.
    func expireLease(of worker: String) async throws {
        try await client.send("ZADD", keys.workers, try await redisNow() - 60_000, worker)
    }

    @Test func aClaimedTaskIsHandedOnOnceAndALateSecondHandOffWritesNothing() async throws {
        let seeded = try await seed(1)
        let worker = queue("w1")
        let claimed = try await worker.claim(upTo: 5, lease: .seconds(10))
        #expect(claimed.count == 1)
        #expect(try await length(keys.inflight(worker: "w1"), "HLEN") == 1)
        #expect(try await counters()["inflight:scenario_extract"] == 1)

        let next = TaskEnvelope(run: keys.run, stage: .atomTask, item: seeded[0].item)
        let completion = Completion(
            tid: seeded[0].tid, stage: "scenario_extract",
            operations: [
                .push(.atomTask, try next.encoded()), .increment("done:scenario_extract", 1),
            ])
        let first = try await worker.complete([completion])
        #expect(first.applied == 1 && first.stale.isEmpty)
        let second = try await worker.complete([completion])
        #expect(second.applied == 0 && second.stale == [seeded[0].tid])
        #expect(try await length(keys.queue(.atomTask)) == 1)
        let counts = try await counters()
        #expect(counts["inflight:scenario_extract"] == 0 && counts["done:scenario_extract"] == 1)
    }

    /// Whatever a worker's own clock says, its lease ends `lease` after Redis's now, and so does
    /// a retry's delay: claims, heartbeats and hand-offs send durations, never times.
    @Test func leasesAndRetryDelaysAreScoredByRedissClock() async throws {
        let seeded = try await seed(1)
        let worker = queue("w")
        let beforeClaim = try await redisNow()
        #expect(try await worker.claim(upTo: 1, lease: .seconds(30)).count == 1)
        let afterClaim = try await redisNow()
        let claimed = try #require(try await score(keys.workers, "w"))
        #expect((beforeClaim + 30_000)...(afterClaim + 30_000) ~= claimed)

        let beforeBeat = try await redisNow()
        let replies = try await client.execute(
            [worker.heartbeat(lease: .seconds(90))], then: [RedisCommand("ZCARD", keys.workers)])
        let afterBeat = try await redisNow()
        #expect(try replies.map { try $0.orThrow() } == [.integer(0), .integer(1)])
        let renewed = try #require(try await score(keys.workers, "w"))
        #expect((beforeBeat + 90_000)...(afterBeat + 90_000) ~= renewed)

        var retry = seeded[0]
        retry.attempt = 1
        let delayed = Completion(
            tid: seeded[0].tid, stage: "scenario_extract",
            operations: [.delay(after: .seconds(45), try retry.encoded())])
        let beforeDelay = try await redisNow()
        #expect(try await worker.complete([delayed]).applied == 1)
        let afterDelay = try await redisNow()
        let due = try #require(try await score(keys.delayed, String(decoding: try retry.encoded(), as: UTF8.self)))
        #expect((beforeDelay + 45_000)...(afterDelay + 45_000) ~= due)
        // Not due yet by Redis's clock: a claim leaves it waiting.
        #expect(try await worker.claim(upTo: 1, lease: .seconds(30)).isEmpty)
        #expect(try await length(keys.delayed, "ZCARD") == 1)
    }

    /// A heartbeat is a script sent in one round trip with other commands; one the server has
    /// forgotten (restart, SCRIPT FLUSH) is loaded again and the renewal still lands.
    @Test func aHeartbeatRenewsTheLeaseAfterAScriptFlush() async throws {
        let worker = queue("w")
        _ = try await client.execute([worker.heartbeat(lease: .seconds(5))], then: [])
        try await client.send("SCRIPT", "FLUSH")
        let before = try await redisNow()
        let replies = try await client.execute(
            [worker.heartbeat(lease: .seconds(20)), queue("v").heartbeat(lease: .seconds(20))],
            then: [RedisCommand("PING")])
        #expect(try replies.map { try $0.orThrow() } == [.integer(0), .integer(1), .status("PONG")])
        #expect(try #require(try await score(keys.workers, "w")) >= before + 20_000)
    }

    @Test func statusCountsTheWorkersWhoseLeaseHasNotPassedByRedissClock() async throws {
        _ = try await seed(1)
        let now = try await redisNow()
        try await client.send("ZADD", keys.workers, now + 60_000, "live", now - 60_000, "silent")
        #expect(try await RunStore(redis: client, keys: keys).status().workers == 1)
        #expect(try await queue("sweeper").expiredWorkers() == ["silent"])
    }

    @Test func theStagesThatWriteTheStreamWaitWhileItHoldsTheCap() async throws {
        _ = try await seed(2, stage: .judge)
        _ = try await seed(2, stage: .conversation)
        _ = try await seed(1, stage: .functionGen)
        for index in 0..<3 {
            try await client.send("XADD", keys.output, "*", "id", "c\(index)", "record", "{}")
        }
        let worker = queue("w")
        func stages(_ claims: [ClaimedEntry]) throws -> [StageName] {
            try claims.map { try TaskEnvelope.decode($0.entry).stage }
        }
        #expect(PipelineScripts.outputStages == [.conversation, .judge])
        // At the cap (3 of 3), only the stages before them are claimed from.
        #expect(
            try stages(try await worker.claim(upTo: 10, lease: .seconds(10), outputCap: 3)) == [
                .functionGen
            ])
        // No cap holds nothing back.
        #expect(try stages(try await worker.claim(upTo: 1, lease: .seconds(10), outputCap: 0)) == [.judge])
        // Below the cap, later stages first as ever.
        #expect(
            try stages(try await worker.claim(upTo: 10, lease: .seconds(10), outputCap: 4))
                == [.judge, .conversation, .conversation])
        #expect(try await length(keys.output, "XLEN") == 3)
    }

    @Test func aWorkerThatHeartbeatsBetweenTheTwoRecoveryStepsKeepsItsTasks() async throws {
        _ = try await seed(3)
        let holder = queue("holder")
        #expect(try await holder.claim(upTo: 3, lease: .seconds(60)).count == 3)
        let sweeper = queue("sweeper")
        #expect(try await sweeper.expiredWorkers().isEmpty)
        try await expireLease(of: "holder")
        #expect(try await sweeper.expiredWorkers() == ["holder"])

        // The holder renews its lease after the sweeper read the candidates.
        _ = try await client.execute([holder.heartbeat(lease: .seconds(60))], then: [])
        let report = try await sweeper.recover(["holder"], maxRecoveries: 3, interval: .milliseconds(1))
        #expect(report == RecoveryReport(workers: 0, requeued: 0, dead: 0))
        #expect(try await length(keys.inflight(worker: "holder"), "HLEN") == 3)
        #expect(try await length(keys.queue(.scenarioExtract)) == 0)
        #expect(try await counters()["recovered"] == nil)

        // Silent past that lease too: each task goes back once, with its recovery counted.
        try await expireLease(of: "holder")
        try await client.send("DEL", keys.sweep)
        let recovered = try await sweeper.recoverExpired(maxRecoveries: 3, interval: .milliseconds(1))
        #expect(recovered == RecoveryReport(workers: 1, requeued: 3, dead: 0))
        #expect(try await length(keys.inflight(worker: "holder"), "HLEN") == 0)
        #expect(try await client.send("ZSCORE", keys.workers, "holder").isNull)
        let queued =
            try await client.send("LRANGE", keys.queue(.scenarioExtract), 0, -1).array?.compactMap(\.data) ?? []
        #expect(try queued.map { try TaskEnvelope.decode($0).recoveries } == [1, 1, 1])
        let counts = try await counters()
        #expect(counts["recovered"] == 3 && counts["inflight:scenario_extract"] == 0)
        // Its late hand-off finds the tasks gone.
        let late = Completion(
            tid: try TaskEnvelope.decode(queued[0]).tid, stage: "scenario_extract",
            operations: [.increment("output", 1)])
        #expect(try await holder.complete([late]).applied == 0)
        #expect(try await counters()["output"] == nil)
    }

    @Test func oneSweepPerIntervalAndATaskThatTookDownTooManyWorkersIsDead() async throws {
        _ = try await seed(1)
        let victim = queue("victim")
        #expect(try await victim.claim(upTo: 1, lease: .seconds(60)).count == 1)
        let entry = try #require(try await client.send("HVALS", keys.inflight(worker: "victim")).array?.first?.data)
        var poisoned = try TaskEnvelope.decode(entry)
        poisoned.recoveries = 2
        try await client.send("HSET", keys.inflight(worker: "victim"), poisoned.tid, try poisoned.encoded())

        try await expireLease(of: "victim")
        try await client.send("SET", keys.sweep, "someone", "PX", 60_000)
        #expect(
            try await queue("a").recoverExpired(maxRecoveries: 2, interval: .seconds(60))
                == RecoveryReport(workers: 0, requeued: 0, dead: 0))
        try await client.send("DEL", keys.sweep)
        #expect(
            try await queue("b").recoverExpired(maxRecoveries: 2, interval: .seconds(60))
                == RecoveryReport(workers: 1, requeued: 0, dead: 1))
        #expect(try await client.send("GET", keys.sweep).string == "b")
        let dead = try #require(try await client.send("LINDEX", keys.dead, 0).data)
        let record = try JSONCoding.decode(RemovedItem.self, from: dead)
        #expect(record.reason == "held by 3 workers that died or were cut off" && record.stage == "scenario_extract")
        let counts = try await counters()
        #expect(
            counts["dead"] == 1 && counts["failed:scenario_extract"] == 1 && counts["inflight:scenario_extract"] == 0)
    }

    @Test func releaseReturnsAllButTheKeptTasksAndDeadsWhatIsNoTask() async throws {
        let seeded = try await seed(3)
        let worker = queue("w")
        #expect(try await worker.claim(upTo: 3, lease: .seconds(10)).count == 3)
        try await client.send("HSET", keys.inflight(worker: "w"), "junk", "not a task")
        #expect(try await worker.release(keeping: [seeded[0].tid]) == 3)
        #expect(
            try await client.send("HKEYS", keys.inflight(worker: "w")).array?.compactMap(\.string) == [seeded[0].tid])
        #expect(try await length(keys.queue(.scenarioExtract)) == 2)
        #expect(try await length(keys.dead) == 1)
        #expect(try await client.send("ZSCORE", keys.workers, "w").string != nil, "it still holds a task")

        #expect(try await worker.release() == 1)
        #expect(try await length(keys.queue(.scenarioExtract)) == 3)
        #expect(try await client.send("ZSCORE", keys.workers, "w").isNull)
        #expect(try await counters()["inflight:scenario_extract"] == 0)
    }

    @Test func garbageInQueuesAndTheDelayedSetIsDeadAndCounted() async throws {
        _ = try await seed(1, stage: .conversation)
        let wrongQueue = TaskEnvelope(run: keys.run, stage: .atomTask, item: WorkItem(id: "w", line: 1, seed: "x"))
        for reply in try await client.execute([
            RedisCommand("RPUSH", keys.queue(.conversation), "garbage"),
            RedisCommand("RPUSH", keys.queue(.conversation), try wrongQueue.encoded()),
            RedisCommand("ZADD", keys.delayed, 0, "no task"),
            RedisCommand(
                "ZADD", keys.delayed, 0, #"{"tid":"d","run":"r","stage":"bogus","attempt":1,"recoveries":0,"item":{}}"#),
        ]) {

            _ = try reply.orThrow()

        }
        #expect(try await queue("w").claim(upTo: 10, lease: .seconds(10)).count == 1)
        let reasons =
            try await client.send("LRANGE", keys.dead, 0, -1).array?.compactMap(\.data).map {
                // Entries from the delayed set have no stage, so they are read as plain objects.
                try JSONCoding.decode([String: JSONValue].self, from: $0)["reason"]?.stringValue ?? ""
            } ?? []
        #expect(
            Set(reasons) == [
                "malformed task in the delayed set", "task of unknown stage bogus in the delayed set",
                "malformed task: not a fcsynth task envelope",
                "task of stage atom_task found in the conversation queue",
            ])
        let counts = try await counters()
        #expect(counts["dead"] == 4 && counts["items"] == 5 && counts["failed:conversation"] == 2)
    }

    @Test func requeueSendsBackOnlyThisRunsTasksWithFreshCounts() async throws {
        let store = RunStore(redis: client, keys: keys)
        let mine = TaskEnvelope(
            run: keys.run, stage: .functionGen, item: WorkItem(id: "1", line: 1, seed: "x"), attempt: 3, recoveries: 2)
        let theirs = TaskEnvelope(run: "other", stage: .functionGen, item: WorkItem(id: "2", line: 2, seed: "y"))
        func record(_ task: String) throws -> Data {
            try JSONCoding.encode(
                RemovedItem(
                    id: nil, line: nil, stage: "function_gen", reason: "x", attempts: nil, item: nil, task: task))
        }
        for reply in try await client.execute([
            RedisCommand("RPUSH", keys.dead, try record(String(decoding: try mine.encoded(), as: UTF8.self))),
            RedisCommand("RPUSH", keys.dead, try record(String(decoding: try theirs.encoded(), as: UTF8.self))),
            RedisCommand("RPUSH", keys.dead, "not even JSON"),
            RedisCommand("HSET", keys.counters, "dead", 3, "failed:function_gen", 2),
        ]) {

            _ = try reply.orThrow()

        }
        #expect(try await store.requeueDead() == 1)
        let queued = try #require(try await client.send("LINDEX", keys.queue(.functionGen), 0).data)
        let back = try TaskEnvelope.decode(queued)
        #expect(back.item == mine.item && back.attempt == 0 && back.recoveries == 0)
        #expect(try await length(keys.dead) == 2)
        let counts = try await counters()
        #expect(counts["dead"] == 2 && counts["failed:function_gen"] == 1)
    }

    @Test func enqueuePassesEachBucketOnceAndReportsRepeats() async throws {
        let store = RunStore(redis: client, keys: keys)
        func row(_ line: Int, _ chat: String) throws -> EnqueueRow {
            let item = WorkItem(id: "\(line)", line: line, seed: chat)
            return EnqueueRow(
                line: line, seed: chat,
                entry: try TaskEnvelope(run: keys.run, stage: .scenarioExtract, item: item).encoded())
        }
        let rows = try (1...40).map { try row($0, "USER: chat \($0)") } + [try row(41, "USER: chat 7")]
        let input = "/data/rows.jsonl"
        #expect(try await store.prepare(settings: RunSettings(), input: input) == EnqueueCursor())
        let cursor = EnqueueCursor(rows: 43, offset: 900, digest: InputDigest(value: 0xfeed))
        let result = try await store.append(rows, rejected: 2, input: input, from: EnqueueCursor(), to: cursor)
        guard case .applied(let queueLength, let duplicates) = result else {
            Issue.record("the batch was not applied: \(result)")
            return
        }
        #expect(queueLength == 40)
        #expect(duplicates.map { [$0.line, $0.original] } == [[41, 7]])
        for bucket in Set(rows.map(\.bucket)) {
            #expect(try await client.send("EXISTS", keys.seen(bucket: bucket)).integer == 1, "\(bucket)")
        }
        let counts = try await counters()
        #expect(
            counts["rows_enqueued"] == 40 && counts["rows_rejected"] == 2 && counts["rows_duplicate"] == 1
                && counts["items"] == 40)
        #expect(try await store.cursor() == cursor)

        // A batch read from a cursor Redis no longer holds, or from another input, writes nothing.
        let later = EnqueueCursor(rows: 50, offset: 1000, digest: InputDigest(value: 1))
        let more = [try row(44, "USER: chat 44")]
        guard
            case .cursorMoved(let stored) = try await store.append(
                more, rejected: 0, input: input, from: EnqueueCursor(), to: later)
        else {
            Issue.record("a stale batch was applied")
            return
        }
        #expect(stored == cursor)
        guard
            case .otherInput(let bound) = try await store.append(
                more, rejected: 0, input: "/other", from: cursor, to: later)
        else {
            Issue.record("another input's batch was applied")
            return
        }
        #expect(bound == input)
        #expect(try await store.endEnqueue(.enqueued, input: input) == nil)
        guard
            case .notTakingRows(let state) = try await store.append(
                more, rejected: 0, input: input, from: cursor, to: later)
        else {
            Issue.record("a closed run took a batch")
            return
        }
        #expect(state == "enqueued")
        let after = try await counters()
        #expect(try await store.cursor() == cursor && after["rows_enqueued"] == 40)
    }
}
