import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline
@testable import FcsynthRedis

/// The response cache on the test Redis, each test in a namespace of its own: answers come
/// back until their time to live passes by Redis's clock, and the size cap evicts the answers
/// due to expire first. The byte counts are checked against the answers' own encodings.
@Suite struct ResponseCacheTests {
    let client: RedisClient
    let namespace = TestEnvironment.uniqueName("cache")

    init() throws {
        client = RedisClient(url: try TestEnvironment.redis())
    }

    func cache(ttl: Int = 3600, maxBytes: Int = 1 << 20) -> ResponseCache {
        ResponseCache(
            redis: client, namespace: namespace, settings: ResponseCacheSettings(timeToLive: ttl, maxBytes: maxBytes))
    }

    static func reply(_ content: String) -> StoredReply {
        StoredReply(
            ChatResponse(
                content: content, finishReason: "stop", usage: TokenUsage(promptTokens: 10, completionTokens: 5),
                latency: 0.2, model: "m"))
    }

    /// Polls a condition, for waits on Redis's clock.
    static func eventually(timeout: Double, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await condition()
    }

    static func size(_ reply: StoredReply) throws -> Int { try JSONCoding.encode(reply).count }

    func storedKeys() async throws -> Set<String> {
        let fields = try await client.send("HKEYS", RunKeys.cacheEntries(namespace: namespace)).array ?? []
        return Set(fields.compactMap(\.string))
    }

    func storedBytes() async throws -> Int {
        Int(try await client.send("GET", RunKeys.cacheBytes(namespace: namespace)).string ?? "") ?? -1
    }

    @Test func anAnswerComesBackUntilItsTimeToLivePassesAndTheNextStoreDropsIt() async throws {
        defer { client.close() }
        // Long enough that a busy machine still reads it back before it expires.
        let short = cache(ttl: 30)
        let answer = Self.reply("{\"a\":1}")
        await short.store([(key: "h1#0", reply: answer)])
        #expect(await short.fetch("h1#0") == answer)
        #expect(await short.fetch("h1#1") == nil)
        #expect(await cache().fetch("h1#0") == answer, "another run's settings read the same cache")
        #expect(try await Self.eventually(timeout: 90) { await short.fetch("h1#0") == nil })

        let later = Self.reply("{\"b\":2}")
        await cache().store([(key: "h2#0", reply: later)])
        #expect(try await storedKeys() == ["h2#0"])
        #expect(try await storedBytes() == (try Self.size(later)))
    }

    @Test func theCapEvictsTheAnswersDueToExpireFirstAndRefusesOneLargerThanItself() async throws {
        defer { client.close() }
        let answers = (0..<10).map { Self.reply("{\"n\":\"" + String(repeating: "x", count: 50 + $0) + "\"}") }
        let sizes = try answers.map(Self.size)
        let cap = sizes.suffix(4).reduce(0, +)
        for (index, answer) in answers.enumerated() {
            await cache(maxBytes: cap).store([(key: "k\(index)#0", reply: answer)])
            // Distinct expiry times, so that the order to evict in is the order stored.
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(try await storedKeys() == Set((6..<10).map { "k\($0)#0" }))
        #expect(try await storedBytes() == cap)
        #expect(await cache(maxBytes: cap).fetch("k5#0") == nil)
        #expect(await cache(maxBytes: cap).fetch("k9#0") == answers[9])

        let huge = Self.reply(String(repeating: "y", count: cap + 1))
        await cache(maxBytes: cap).store([(key: "huge#0", reply: huge)])
        #expect(try await storedKeys() == Set((6..<10).map { "k\($0)#0" }))
        #expect(try await storedBytes() == cap)
    }

    /// An entry that is no stored answer (written by hand, or by another version) is a miss.
    @Test func anUnreadableEntryIsAMiss() async throws {
        defer { client.close() }
        try await client.send("HSET", RunKeys.cacheEntries(namespace: namespace), "bad#0", "{not json")
        try await client.send("ZADD", RunKeys.cacheExpiry(namespace: namespace), Int64.max / 2, "bad#0")
        #expect(await cache().fetch("bad#0") == nil)
    }
}
