import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline
@testable import FcsynthRedis

/// The scripts on a Redis past its maxmemory with noeviction (memory.lua): a claim is refused
/// whole, before any change, while the scripts that free memory or hold it level go through.
/// Each test has a server of its own, since it sets the server's limit.
@Suite struct FullRedisScriptTests {
    let server: RedisServerProcess
    let client: RedisClient
    let keys = RunKeys(namespace: "full", run: "r")

    init() throws {
        server = try RedisServerProcess(extraConfig: ["maxmemory-policy noeviction"])
        client = RedisClient(url: server.url)
    }

    func queue(_ worker: String) -> TaskQueue { TaskQueue(redis: client, keys: keys, worker: worker) }

    func seed(_ count: Int) async throws -> [TaskEnvelope] {
        let envelopes = (1...count).map {
            TaskEnvelope(
                run: keys.run, stage: .scenarioExtract, item: WorkItem(id: "\($0)", line: $0, seed: "USER: \($0)"))
        }
        var commands = [
            RedisCommand("HSET", keys.meta, "state", "enqueued"),
            RedisCommand("HINCRBY", keys.counters, "items", count),
        ]
        for envelope in envelopes {
            commands.append(RedisCommand("RPUSH", keys.queue(.scenarioExtract), try envelope.encoded()))
        }
        for reply in try await client.execute(commands) { _ = try reply.orThrow() }
        return envelopes
    }

    /// Every key of the run and what it holds, to compare before and after a refused script.
    func snapshot() async throws -> [String: String] {
        var result: [String: String] = [:]
        let names = try await client.send("KEYS", "full:*").array?.compactMap(\.string) ?? []
        for name in names {
            result[name] = "\(try await client.send("DUMP", name))"
        }
        return result
    }

    func fill() async throws {
        try await client.send("CONFIG", "SET", "maxmemory", "1")
        // The premise, checked: a plain write that adds memory is refused.
        do {
            try await client.send("SET", "full:probe", "x")
            Issue.record("Redis took a write past maxmemory")
        } catch {
            #expect(error.isOutOfMemory, "\(error)")
        }
    }

    @Test func aClaimIsRefusedWholeWhileTheScriptsThatFreeOrHoldMemoryGoThrough() async throws {
        defer { client.close() }
        let seeded = try await seed(5)
        // w1 holds a task it will hand off, w2 one it will release, w3 one of a worker that died.
        for worker in ["w1", "w2", "w3"] {
            #expect(try await queue(worker).claim(upTo: 1, lease: .seconds(30)).count == 1)
        }
        try await client.send("ZADD", keys.workers, 1, "w3")
        // A retry that is due: an unguarded claim would promote it (a write) before claiming.
        let retry = TaskEnvelope(
            run: keys.run, stage: .scenarioExtract, item: WorkItem(id: "6", line: 6, seed: "USER: 6"), attempt: 1)
        try await client.send("ZADD", keys.delayed, 0, try retry.encoded())
        let first = try await client.send("XADD", keys.output, "*", "id", "a", "record", "{}").string ?? ""
        try await client.send("XADD", keys.output, "*", "id", "b", "record", "{}")
        try await RunStore(redis: client, keys: keys).acknowledgeExport(destination: "file", through: "0-0")

        try await fill()
        let before = try await snapshot()
        do {
            _ = try await queue("w4").claim(upTo: 5, lease: .seconds(30))
            Issue.record("a claim went through a full Redis")
        } catch {
            #expect(error.isOutOfMemory, "\(error)")
        }
        #expect(try await snapshot() == before, "the refused claim changed something")

        // The heartbeat renews w1's lease.
        let lease = try await client.send("ZSCORE", keys.workers, "w1").string.flatMap(Double.init) ?? 0
        let replies = try await client.execute([queue("w1").heartbeat(lease: .seconds(600))], then: [])
        #expect(throws: Never.self) { try replies[0].orThrow() }
        let renewed = try await client.send("ZSCORE", keys.workers, "w1").string.flatMap(Double.init) ?? 0
        #expect(renewed > lease + 100_000)

        // w1's hand-off pushes its next task and counts it.
        let held = seeded[0]
        let next = TaskEnvelope(run: keys.run, stage: .atomTask, item: held.item)
        let handOff = try await queue("w1").complete([
            Completion(
                tid: held.tid, stage: "scenario_extract",
                operations: [.push(.atomTask, try next.encoded()), .increment("done:scenario_extract", 1)])
        ])
        #expect(handOff.applied == 1 && handOff.stale.isEmpty)
        #expect(try await client.send("LLEN", keys.queue(.atomTask)).integer == 1)

        // w2 returns its task; w1's sweep returns the task of w3, whose lease passed.
        #expect(try await queue("w2").release() == 1)
        let recovery = try await queue("w1").recoverExpired(maxRecoveries: 3, interval: .seconds(5))
        #expect(recovery.workers == 1 && recovery.requeued == 1)

        // An export's acknowledgement trims the stream.
        #expect(
            try await RunStore(redis: client, keys: keys).acknowledgeExport(destination: "file", through: first) == 1)
        #expect(try await client.send("XLEN", keys.output).integer == 1)
        #expect(try await client.send("HGET", keys.exporters, "file").string == first)

        // A response cache store adds memory: refused whole, nothing stored.
        let cache = ResponseCache(redis: client, namespace: keys.namespace, settings: ResponseCacheSettings())
        let cacheBefore = try await snapshot()
        await cache.store([(key: "h#0", reply: StoredReply(ChatResponse(content: "{}")))])
        #expect(try await snapshot() == cacheBefore)

        // Room again: the claim promotes the due retry and takes tasks.
        try await client.send("CONFIG", "SET", "maxmemory", "0")
        // Two left, the retry, the one released and the one recovered; and w1's next task.
        let claimed = try await queue("w4").claim(upTo: 10, lease: .seconds(30))
        #expect(claimed.count == 6)
        #expect(try await client.send("ZCARD", keys.delayed).integer == 0)
        let counters = try await client.send("HGETALL", keys.counters).fieldValues.mapValues { $0.string ?? "" }
        #expect(counters["inflight:scenario_extract"] == "5" && counters["inflight:atom_task"] == "1")
        #expect(counters["done:scenario_extract"] == "1" && counters["recovered"] == "1")
    }
}
