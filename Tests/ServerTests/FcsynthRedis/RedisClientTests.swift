import Foundation
import TestSupport
import Testing

@testable import FcsynthRedis
@testable import FcsynthSystem

@Suite struct RedisClientTests {
    let client: RedisClient
    let key: String

    init() throws {
        client = RedisClient(url: try TestEnvironment.redis())
        key = TestEnvironment.uniqueName("redis-client")
    }

    @Test func repliesOfEveryType() async throws {
        #expect(try await client.send("PING") == .status("PONG"))
        #expect(try await client.send("SET", key, "v") == .status("OK"))
        #expect(try await client.send("GET", key) == .bulk(Data("v".utf8)))
        #expect(try await client.send("GET", key + ":missing") == .null)
        #expect(try await client.send("INCRBY", key + ":n", 5) == .integer(5))
        try await client.send("RPUSH", key + ":l", "a", "b")
        #expect(
            try await client.send("LRANGE", key + ":l", 0, -1)
                == .array([.bulk(Data("a".utf8)), .bulk(Data("b".utf8))]))
        let replies = try await client.execute([RedisCommand("LPUSH", key, "x")])
        guard case .error(let message) = replies[0] else {
            Issue.record("expected an error reply, got \(replies[0])")
            return
        }
        #expect(message.hasPrefix("WRONGTYPE"))
        await #expect(throws: RedisError.server(message)) { try await client.send("LPUSH", key, "x") }
    }

    @Test func valuesAreBinarySafe() async throws {
        let bytes = Data((0...255).map { UInt8($0) } + [0, 0, 13, 10])
        try await client.send("SET", bytes, bytes)
        #expect(try await client.send("GET", bytes) == .bulk(bytes))
        try await client.send("DEL", bytes)
    }

    @Test func pipelinesInOrder() async throws {
        let commands = (0..<1_000).map { RedisCommand("RPUSH", key, $0) }
        let replies = try await client.execute(commands)
        #expect(replies == (1...1_000).map { .integer(Int64($0)) })
        let range = try await client.send("LRANGE", key, 0, -1).array?.compactMap(\.string)
        #expect(range == (0..<1_000).map(String.init))
    }

    @Test func concurrentCallersShareTheConnection() async throws {
        let results = try await withThrowingTaskGroup(of: (Int, Int64?).self) { group in
            for index in 0..<300 {
                group.addTask { (index, try await client.send("INCRBY", "\(key):c:\(index)", index).integer) }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        #expect(results.count == 300)
        #expect(results.allSatisfy { Int64($0.key) == $0.value })
    }

    @Test func scriptsSurviveScriptFlush() async throws {
        let script = RedisScript(name: "test_echo_\(key)", source: "return {KEYS[1], ARGV[1]}")
        let first = try await client.evaluate(script, keys: [key], arguments: ["one"])
        #expect(first.array?.compactMap(\.string) == [key, "one"])
        try await client.send("SCRIPT", "FLUSH")
        let second = try await client.evaluate(script, keys: [key], arguments: ["two"])
        #expect(second.array?.compactMap(\.string) == [key, "two"])
    }

    @Test func scriptErrorsCarryTheServerMessage() async throws {
        let script = RedisScript(name: "test_fail_\(key)", source: "return redis.error_reply('BOOM nope')")
        await #expect(throws: RedisError.server("BOOM nope")) {
            try await client.evaluate(script, keys: [], arguments: [])
        }
    }

    @Test func blockingCommandsOutwaitTheReadTimeout() async throws {
        let shortTimeout = RedisClient(url: try TestEnvironment.redis(), options: RedisClientOptions(readTimeout: 0.2))
        let reply = try await shortTimeout.blocking(RedisCommand("BLPOP", key + ":empty", 1), waitingUpTo: 1)
        #expect(reply == .null)
        #expect(try await shortTimeout.send("PING") == .status("PONG"))
    }

    @Test func blockingCallsDoNotHoldTheTaskPool() async throws {
        let url = try TestEnvironment.redis()
        let blockers = (0..<8).map { _ in RedisClient(url: url) }
        var ids: [Int64] = []
        for blocker in blockers {
            ids.append(try #require(try await blocker.send("CLIENT", "ID").integer))
        }
        let replies = Task {
            try await withThrowingTaskGroup(of: RedisReply.self) { group in
                for (index, blocker) in blockers.enumerated() {
                    group.addTask {
                        try await blocker.blocking(RedisCommand("BLPOP", "\(key):b\(index)", 300), waitingUpTo: 300)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        // Had each wait held one of the pool's few threads, no more than that many would be
        // blocked at once; on the clients' own threads the server sees all eight blocked.
        var blocked = 0
        for _ in 0..<1_500 where blocked < ids.count {
            blocked = try await blockedClients(ids)
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(blocked == ids.count)
        for index in blockers.indices {
            try await client.send("RPUSH", "\(key):b\(index)", "go")
        }
        let values = try await replies.value.map { $0.array?.compactMap(\.string).last }
        #expect(values == Array(repeating: "go", count: blockers.count))
    }

    /// How many of the connections `ids` the server has blocked in a command (`CLIENT LIST`, flag `b`).
    private func blockedClients(_ ids: [Int64]) async throws -> Int {
        var command = RedisCommand("CLIENT", "LIST", "ID")
        for id in ids { command.append(id) }
        return (try await client.send(command).string ?? "").split(whereSeparator: \.isNewline).filter { line in
            line.split(separator: " ").contains { $0.hasPrefix("flags=") && $0.dropFirst("flags=".count).contains("b") }
        }.count
    }

    @Test func unreachableServerFailsFastWhenAskedTo() async throws {
        let dead = RedisClient(url: RedisURL(host: "127.0.0.1", port: Ports.free()), options: .failFast)
        await #expect {
            try await dead.send("PING")
        } throws: { error in
            (error as? RedisError)?.isConnectionError == true
        }
    }

    @Test func closedClientRefusesWork() async throws {
        let closing = RedisClient(url: try TestEnvironment.redis())
        closing.close()
        await #expect(throws: RedisError.closed) { try await closing.send("PING") }
    }
}
