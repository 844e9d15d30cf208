import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline
@testable import FcsynthRedis

/// Which tasks a claim takes first, on the test Redis. The tasks are written by hand as bare
/// envelopes, each with its stage and step in its tid, so that the expected order is read off
/// the test itself rather than off the code under test.
@Suite struct ClaimOrderTests {
    let client: RedisClient
    let keys: RunKeys

    init() throws {
        client = RedisClient(url: try TestEnvironment.redis())
        keys = RunKeys(namespace: TestEnvironment.uniqueName("ns"), run: "r")
    }

    /// Queues, in this order, one task per (name, stage, step); the tid is `name|stage|step`.
    func push(_ tasks: [(String, StageName, Int)]) async throws {
        var commands = [
            RedisCommand("HSET", keys.meta, "state", "enqueued"),
            RedisCommand("HINCRBY", keys.counters, "items", tasks.count),
        ]
        for (name, stage, step) in tasks {
            let entry =
                #"{"tid":"\#(name)|\#(stage.rawValue)|\#(step)","run":"\#(keys.run)","stage":"\#(stage.rawValue)","attempt":0,"recoveries":0,"item":{}}"#
            commands.append(RedisCommand("RPUSH", keys.queue(stage), entry))
        }
        for reply in try await client.execute(commands) { _ = try reply.orThrow() }
    }

    func claim(_ count: Int, order: ClaimOrder) async throws -> [String] {
        let queue = TaskQueue(redis: client, keys: keys, worker: "w")
        return try await queue.claim(upTo: count, lease: .seconds(30), order: order).map {
            try #require(TaskEnvelope.Header.read($0.entry)).tid
        }
    }

    /// Tasks of every kind past the input: two conversation turns pushed before an earlier one.
    let middle: [(String, StageName, Int)] = [
        ("j", .judge, 9), ("c6", .conversation, 6), ("c2", .conversation, 2), ("f", .functionGen, 0),
        ("c4", .conversation, 4), ("a", .atomTask, 0),
    ]

    @Test func withTheInputGoneTheTailOrderTakesTheItemsWithTheMostWorkLeftFirst() async throws {
        try await push(middle)
        #expect(
            try await claim(4, order: .mostWorkLeftInTail) == [
                "a|atom_task|0", "f|function_gen|0", "c2|conversation|2", "c4|conversation|4",
            ])
        #expect(try await claim(10, order: .mostWorkLeftInTail) == ["c6|conversation|6", "j|judge|9"])
        #expect(try await client.send("LLEN", keys.queue(.conversation)).integer == 0)
        // Every claimed task is in flight, counted by its stage, as with the usual order.
        #expect(try await client.send("HLEN", keys.inflight(worker: "w")).integer == 6)
        #expect(try await client.send("HGET", keys.counters, "inflight:conversation").string == "3")
    }

    /// A claim ranks only the conversation queue's first 4 × its count, at least 16, since each
    /// task it looks at is copied whole into Lua: the fewest steps past them wait their turn.
    @Test func theTailOrderRanksTurnsWithinTheQueuesFirstSixteenForAClaimOfOne() async throws {
        let deep = (1...20).map { ("d\($0)", StageName.conversation, 9) }
        try await push(
            Array(deep[0..<10]) + [("early", .conversation, 3)] + Array(deep[10..<15]) + [("late", .conversation, 1)]
                + Array(deep[15...]))
        // "late" is the queue's 17th task: outside the first claim's window, inside the second's.
        #expect(try await claim(1, order: .mostWorkLeftInTail) == ["early|conversation|3"])
        #expect(try await claim(1, order: .mostWorkLeftInTail) == ["late|conversation|1"])
        #expect(try await claim(1, order: .mostWorkLeftInTail) == ["d1|conversation|9"])
    }

    @Test func theLaterOrderTakesLaterStagesFirstAndTurnsInQueueOrder() async throws {
        try await push(middle)
        #expect(
            try await claim(10, order: .laterStagesFirst) == [
                "j|judge|9", "c6|conversation|6", "c2|conversation|2", "c4|conversation|4", "f|function_gen|0",
                "a|atom_task|0",
            ])
    }

    @Test func whileTheInputExceedsTwiceTheTasksInFlightTheTailOrderTakesLaterStagesFirst() async throws {
        try await push(middle + (1...10).map { ("s\($0)", StageName.scenarioExtract, 0) })
        // Nothing in flight yet and ten rows of input: later stages first.
        #expect(try await claim(2, order: .mostWorkLeftInTail) == ["j|judge|9", "c6|conversation|6"])
        // Two in flight (those), three more elsewhere in the fleet: 10 ≤ 2 × 5, the input runs low.
        _ = try await client.send("HINCRBY", keys.counters, "inflight:atom_task", 3)
        #expect(
            try await claim(3, order: .mostWorkLeftInTail) == [
                "s1|scenario_extract|0", "s2|scenario_extract|0", "s3|scenario_extract|0",
            ])
    }

    @Test func malformedTasksFoundByTheTailOrderGoToDeadWithTheirReason() async throws {
        try await push([("c3", .conversation, 3)])
        _ = try await client.send("RPUSH", keys.queue(.conversation), "not an envelope")
        #expect(try await claim(5, order: .mostWorkLeftInTail) == ["c3|conversation|3"])
        let dead = try await client.send("LRANGE", keys.dead, 0, -1).array?.compactMap(\.string) ?? []
        #expect(dead.count == 1 && dead[0].contains("malformed task"))
        #expect(try await client.send("LLEN", keys.queue(.conversation)).integer == 0)
    }
}
