import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline
@testable import FcsynthRedis

/// The index against a real Redis: races keep exactly one of near-identical items, a retried
/// item finds only itself, 1.0 takes only the same words, and an unreadable index is an error.
@Suite struct NearDuplicateIndexTests {
    static let base =
        "Find the cheapest economy flight from Lisbon to Vienna on 3 May 2025, then book a seat on the earliest of those flights for Anna Weber."
    /// One city changed: 23 of the two texts' 27 distinct bigrams are shared (Jaccard 0.85).
    static let oneCityChanged =
        "Find the cheapest economy flight from Oslo to Vienna on 3 May 2025, then book a seat on the earliest of those flights for Anna Weber."
    static let unrelated =
        "Find a vegetarian lasagne recipe for six people and add its ingredients to my shopping list."

    static func index(threshold: Double = 0.8) async throws -> (NearDuplicateIndex, RedisClient, RunKeys) {
        let redis = RedisClient(url: try TestEnvironment.redis())
        try await PipelineScripts.load(into: redis)
        let keys = RunKeys(namespace: TestEnvironment.uniqueName("dedup"), run: "r")
        return (
            NearDuplicateIndex(redis: redis, keys: keys, policy: NearDuplicatePolicy(threshold: threshold)), redis, keys
        )
    }

    @Test func racingNearIdenticalItemsKeepExactlyOne() async throws {
        let (index, redis, _) = try await Self.index()
        defer { redis.close() }
        let verdicts = try await withThrowingTaskGroup(of: (String, NearDuplicateVerdict).self) { group in
            for number in 0..<16 {
                let text = number.isMultiple(of: 2) ? Self.base : Self.oneCityChanged
                group.addTask { ("item\(number)", try await index.check(id: "item\(number)", text: text)) }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        let kept = verdicts.filter { $0.value == .unique }.map(\.key)
        #expect(kept.count == 1, "kept \(kept)")
        for (id, verdict) in verdicts where id != kept.first {
            guard case .duplicate(let original, let similarity) = verdict else { continue }
            #expect(original == kept.first, "\(id) named \(original), not the kept \(kept)")
            #expect(similarity >= 0.8)
        }
        #expect(try await index.check(id: "other", text: Self.unrelated) == .unique)
    }

    @Test func aRetriedItemFindsOnlyItself() async throws {
        let (index, redis, _) = try await Self.index()
        defer { redis.close() }
        #expect(try await index.check(id: "a", text: Self.base) == .unique)
        #expect(try await index.check(id: "a", text: Self.base) == .unique)
        guard case .duplicate(let original, _) = try await index.check(id: "b", text: Self.base) else {
            Issue.record("the same text again was not a duplicate")
            return
        }
        #expect(original == "a")
    }

    @Test func thresholdOneTakesOnlyTheSameWords() async throws {
        let (index, redis, _) = try await Self.index(threshold: 1)
        defer { redis.close() }
        #expect(try await index.check(id: "a", text: Self.base) == .unique)
        #expect(try await index.check(id: "b", text: Self.oneCityChanged) == .unique)
        let recased = Self.base.uppercased().replacingOccurrences(of: ",", with: " ;")
        guard case .duplicate(let original, let similarity) = try await index.check(id: "c", text: recased) else {
            Issue.record("the same words in other case and punctuation were not an exact repeat")
            return
        }
        #expect(original == "a" && similarity == 1)
    }

    @Test func belowTheThresholdBothStay() async throws {
        let (index, redis, _) = try await Self.index(threshold: 0.95)
        defer { redis.close() }
        #expect(try await index.check(id: "a", text: Self.base) == .unique)
        #expect(try await index.check(id: "b", text: Self.oneCityChanged) == .unique)
    }

    /// Past its capacity the index still finds what it holds, and takes nothing more.
    @Test func aFullIndexChecksButAddsNothing() async throws {
        let redis = RedisClient(url: try TestEnvironment.redis())
        defer { redis.close() }
        try await PipelineScripts.load(into: redis)
        let keys = RunKeys(namespace: TestEnvironment.uniqueName("dedup"), run: "r")
        let index = NearDuplicateIndex(redis: redis, keys: keys, policy: NearDuplicatePolicy(capacity: 1))
        #expect(try await index.check(id: "a", text: Self.base) == .unique)
        #expect(try await index.check(id: "a", text: Self.base) == .unique)
        #expect(try await index.check(id: "b", text: Self.unrelated) == .unindexed)
        #expect(try await index.check(id: "c", text: Self.unrelated) == .unindexed)
        guard case .duplicate(let original, _) = try await index.check(id: "d", text: Self.base) else {
            Issue.record("a full index no longer found what it holds")
            return
        }
        #expect(original == "a")
        #expect(try await redis.send("HLEN", keys.nearDuplicateSignatures).integer == 1)
    }

    @Test func anUnreadableIndexIsAnError() async throws {
        let (index, redis, keys) = try await Self.index()
        defer { redis.close() }
        try await redis.send("SET", keys.nearDuplicateBands, "not a hash")
        await #expect(throws: RedisError.self) { try await index.check(id: "a", text: Self.base) }
    }

    /// What the index costs per item, on a private server so that no other test's commands are
    /// counted: `FCSYNTH_DEDUP_ITEMS=20000 ./scripts/test --filter memoryAndCommandsPerItem`
    /// prints the figures docs/performance.md states (500 items otherwise, printed too).
    @Test func memoryAndCommandsPerItem() async throws {
        let server = try RedisServerProcess()
        defer { server.stop() }
        let redis = RedisClient(url: server.url)
        defer { redis.close() }
        try await PipelineScripts.load(into: redis)
        let keys = RunKeys(namespace: "measure", run: "r")
        let index = NearDuplicateIndex(redis: redis, keys: keys, policy: NearDuplicatePolicy())
        let items = Int(ProcessInfo.processInfo.environment["FCSYNTH_DEDUP_ITEMS"] ?? "") ?? 500
        let words = ["flight", "hotel", "recipe", "parcel", "meeting", "stock", "movie", "table", "city", "date"]
        func text(_ number: Int) -> String {
            var generator = SplitMix64(seed: UInt64(number))
            return (0..<24).map { _ in words[Int(generator.next() % 10)] + String(generator.next() % 50) }
                .joined(separator: " ")
        }
        var before = try await Self.commandCalls(redis)
        for number in 0..<items {
            #expect(try await index.check(id: "\(number)|composition_filter|0", text: text(number)) == .unique)
        }
        var after = try await Self.commandCalls(redis)
        let unique = Self.perItem(before, after, items)
        let bands = try await redis.send("MEMORY", "USAGE", keys.nearDuplicateBands, "SAMPLES", 0).integer ?? 0
        let signatures =
            try await redis.send("MEMORY", "USAGE", keys.nearDuplicateSignatures, "SAMPLES", 0).integer ?? 0
        before = after
        for number in 0..<items {
            let verdict = try await index.check(id: "repeat\(number)", text: text(number))
            #expect(verdict == .duplicate(original: "\(number)|composition_filter|0", similarity: 1))
        }
        after = try await Self.commandCalls(redis)
        let repeated = Self.perItem(before, after, items)
        let policy = NearDuplicatePolicy()
        print(
            "near-duplicate index (threshold \(policy.threshold), \(policy.bands) bands x \(policy.rows) rows), \(items) items: "
                + "MEMORY USAGE lsh \(bands / Int64(items)) B/item, minhash \(signatures / Int64(items)) B/item; "
                + "commands per indexed item \(unique), per repeat \(repeated)")
        #expect(bands > 0 && signatures > 0)
    }

    static func perItem(_ before: [String: Int], _ after: [String: Int], _ items: Int) -> String {
        after.keys.sorted().compactMap { name in
            let calls = after[name, default: 0] - before[name, default: 0]
            return calls == 0 ? nil : "\(name) \(Double(calls) / Double(items))"
        }.joined(separator: ", ")
    }

    /// Calls per command from INFO commandstats.
    static func commandCalls(_ redis: RedisClient) async throws -> [String: Int] {
        let info = try await redis.send("INFO", "commandstats").string ?? ""
        var calls: [String: Int] = [:]
        for line in info.split(whereSeparator: \.isNewline) {
            guard let match = line.firstMatch(of: /cmdstat_([a-z|]+):calls=(\d+)/) else { continue }
            let name = String(match.1)
            guard name != "info" else { continue }
            calls[name] = Int(match.2)
        }
        return calls
    }
}
