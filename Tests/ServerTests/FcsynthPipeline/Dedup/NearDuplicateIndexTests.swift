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
            guard case .duplicate(let original, let similarity, _) = verdict else { continue }
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
        guard case .duplicate(let original, _, _) = try await index.check(id: "b", text: Self.base) else {
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
        guard case .duplicate(let original, let similarity, _) = try await index.check(id: "c", text: recased) else {
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
        guard case .duplicate(let original, _, _) = try await index.check(id: "d", text: Self.base) else {
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

    /// Word bigrams, cut here as docs/stages.md says, for the exact Jaccard similarity.
    static func bigrams(_ text: String) -> Set<String> {
        let words = text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
        return Set(zip(words, words.dropFirst()).map { "\($0) \($1)" })
    }

    static func jaccard(_ a: Set<String>, _ b: Set<String>) -> Double {
        Double(a.intersection(b).count) / Double(a.union(b).count)
    }

    /// The scenario's signature goes in with the task's, in the same call, and a repeat says
    /// how near the two scenarios are: close to the exact Jaccard of their bigrams.
    @Test func theScenarioIsStoredWithTheTaskAndComparedOnARepeat() async throws {
        let (index, redis, keys) = try await Self.index()
        defer { redis.close() }
        let scenario = "A traveller in Lisbon plans a week of trains, flights and hotels across central Europe in May."
        let nearScenario =
            "A traveller in Porto plans a week of trains, flights and hotels across central Europe in May."
        let otherScenario = "A home cook is planning dinners for a family of six with a tight weekly budget."
        #expect(try await index.check(id: "a", text: Self.base, scenario: scenario) == .unique)
        let stored = try #require(try await redis.send("HGET", keys.nearDuplicateSignatures, "a").data)
        #expect(stored.count == 2 * MinHashSignature.storedCount)
        #expect(stored.prefix(8) != stored.dropFirst(MinHashSignature.storedCount).prefix(8))
        for (id, other) in [("b", nearScenario), ("c", otherScenario)] {
            guard
                case .duplicate(let original, _, let scenarioSimilarity?) =
                    try await index.check(id: id, text: Self.base, scenario: other)
            else {
                Issue.record("\(id): no repeat with a scenario similarity")
                continue
            }
            let exact = Self.jaccard(Self.bigrams(scenario), Self.bigrams(other))
            #expect(original == "a")
            #expect(abs(scenarioSimilarity - exact) < 0.15, "estimate \(scenarioSimilarity), exact \(exact)")
        }
        // No scenario on either side: the repeat is still found, with nothing said of scenarios.
        guard case .duplicate("a", _, nil) = try await index.check(id: "d", text: Self.base) else {
            Issue.record("a repeat without a scenario was not found, or had a scenario similarity")
            return
        }
    }

    static func function(_ name: String, _ parameters: [String: String]) -> FunctionDefinition {
        FunctionDefinition(
            name: name, description: "Does \(name).",
            parameters: .object([
                "type": .string("object"),
                "properties": .object(parameters.mapValues { .object(["type": .string($0)]) }),
            ]),
            responses: .object([:]))
    }

    /// The shingles as the test reads docs/stages.md: each name, and each `NAME(PARAM: TYPE)`.
    static func shingles(_ functions: [FunctionDefinition]) -> Set<String> {
        var shingles = Set<String>()
        for function in functions {
            shingles.insert(function.name)
            let properties = function.parameters.objectValue?["properties"]?.objectValue ?? [:]
            for (name, schema) in properties {
                shingles.insert("\(function.name)(\(name): \(schema.objectValue?["type"]?.stringValue ?? "any"))")
            }
        }
        return shingles
    }

    /// Function sets in their own bands: one near an earlier set names it, whatever order its
    /// functions and parameters come in, with an estimate close to the exact Jaccard of the
    /// shingles; one of another design does not; a composition task with the same id is
    /// another index.
    @Test func functionSetsAreComparedInTheirOwnIndex() async throws {
        let (index, redis, keys) = try await Self.index()
        defer { redis.close() }
        let flights = [
            Self.function("search_flights", ["origin": "string", "destination": "string", "date": "string"]),
            Self.function("book_seat", ["flight_id": "string", "passenger": "string", "class": "string"]),
            Self.function("get_price", ["flight_id": "string", "currency": "string"]),
            Self.function("get_weather", ["city": "string", "date": "string"]),
            Self.function("convert_currency", ["amount": "number", "from": "string", "to": "string"]),
        ]
        var reordered = Array(flights.reversed())
        reordered[0] = Self.function("convert_currency", ["to": "string", "amount": "number", "from": "string"])
        var oneChanged = flights
        oneChanged[3] = Self.function("get_weather", ["city": "string", "day": "string"])
        let recipes = [
            Self.function("find_recipe", ["dish": "string", "servings": "integer"]),
            Self.function("add_to_list", ["items": "array"]),
        ]
        #expect(try await index.checkFunctions(id: "a", functions: flights) == .unique)
        #expect(try await index.checkFunctions(id: "a", functions: flights) == .unique)
        #expect(try await index.check(id: "a", text: Self.unrelated) == .unique)
        #expect(try await index.checkFunctions(id: "b", functions: recipes) == .unique)
        #expect(
            try await index.checkFunctions(id: "c", functions: reordered)
                == .duplicate(original: "a", similarity: 1, scenarioSimilarity: nil))
        let exact = Self.jaccard(Self.shingles(flights), Self.shingles(oneChanged))
        #expect(exact >= 0.8, "the fixture's one change should stay near: \(exact)")
        guard case .duplicate("a", let similarity, nil) = try await index.checkFunctions(id: "d", functions: oneChanged)
        else {
            Issue.record("a set with one parameter renamed was not near the original")
            return
        }
        #expect(abs(similarity - exact) < 0.15, "estimate \(similarity), exact \(exact)")
        #expect(try await index.checkFunctions(id: "e", functions: []) == .unique)
        #expect(try await redis.send("HLEN", keys.nearDuplicateFunctionSignatures).integer == 2)
        #expect(try await redis.send("HLEN", keys.nearDuplicateSignatures).integer == 1)
    }

    @Test func anUnreadableFunctionSetIndexIsAnError() async throws {
        let (index, redis, keys) = try await Self.index()
        defer { redis.close() }
        try await redis.send("SET", keys.nearDuplicateFunctionBands, "not a hash")
        await #expect(throws: RedisError.self) {
            try await index.checkFunctions(id: "a", functions: [Self.function("f", ["x": "string"])])
        }
    }

    /// What the indexes cost per item, on a private server so that no other test's commands are
    /// counted: `FCSYNTH_DEDUP_ITEMS=20000 ./scripts/test --filter memoryAndCommandsPerItem`
    /// prints the figures docs/performance.md states (500 items otherwise, printed too): the
    /// composition task with its scenario, then the function set, each indexed then repeated.
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
        func text(_ number: Int, salt: UInt64 = 0, count: Int = 24) -> String {
            var generator = SplitMix64(seed: UInt64(number) ^ salt)
            return (0..<count).map { _ in words[Int(generator.next() % 10)] + String(generator.next() % 50) }
                .joined(separator: " ")
        }
        /// Three functions of three parameters each, as function_gen designs them.
        func functions(_ number: Int) -> [FunctionDefinition] {
            var generator = SplitMix64(seed: UInt64(number) ^ 0xF00D)
            return (0..<3).map { _ in
                let name = "get_" + words[Int(generator.next() % 10)] + String(generator.next() % 1000)
                let properties = (0..<3).map { _ in
                    (
                        words[Int(generator.next() % 10)] + "_id\(generator.next() % 100)",
                        JSONValue.object(["type": .string("string")])
                    )
                }
                return FunctionDefinition(
                    name: name, description: "",
                    parameters: .object([
                        "type": .string("object"), "properties": .object(Dictionary(properties) { a, _ in a }),
                    ]),
                    responses: .object([:]))
            }
        }
        func id(_ number: Int) -> String { "\(number)|composition_filter|0" }
        func memory(_ key: String) async throws -> Int64 {
            try await redis.send("MEMORY", "USAGE", key, "SAMPLES", 0).integer ?? 0
        }
        var before = try await Self.commandCalls(redis)
        for number in 0..<items {
            let verdict = try await index.check(id: id(number), text: text(number), scenario: text(number, salt: 7))
            #expect(verdict == .unique)
        }
        var after = try await Self.commandCalls(redis)
        let unique = Self.perItem(before, after, items)
        let bands = try await memory(keys.nearDuplicateBands)
        let signatures = try await memory(keys.nearDuplicateSignatures)
        before = after
        for number in 0..<items {
            let verdict = try await index.check(
                id: "repeat\(number)", text: text(number), scenario: text(number, salt: 7))
            #expect(verdict == .duplicate(original: id(number), similarity: 1, scenarioSimilarity: 1))
        }
        after = try await Self.commandCalls(redis)
        let repeated = Self.perItem(before, after, items)
        before = after
        for number in 0..<items {
            #expect(try await index.checkFunctions(id: id(number), functions: functions(number)) == .unique)
        }
        after = try await Self.commandCalls(redis)
        let uniqueSets = Self.perItem(before, after, items)
        let setBands = try await memory(keys.nearDuplicateFunctionBands)
        let setSignatures = try await memory(keys.nearDuplicateFunctionSignatures)
        before = after
        for number in 0..<items {
            let verdict = try await index.checkFunctions(id: "repeat\(number)", functions: functions(number))
            #expect(verdict == .duplicate(original: id(number), similarity: 1, scenarioSimilarity: nil))
        }
        after = try await Self.commandCalls(redis)
        let repeatedSets = Self.perItem(before, after, items)
        let policy = NearDuplicatePolicy()
        let count = Int64(items)
        print(
            "near-duplicate index (threshold \(policy.threshold), \(policy.bands) bands x \(policy.rows) rows), \(items) items: "
                + "MEMORY USAGE lsh \(bands / count) B/item, minhash (task and scenario) \(signatures / count) B/item; "
                + "commands per indexed item \(unique), per repeat \(repeated); "
                + "function sets: lsh:functions \(setBands / count) B/item, minhash:functions \(setSignatures / count) B/item; "
                + "commands per indexed set \(uniqueSets), per repeated set \(repeatedSets)")
        #expect(bands > 0 && signatures > 0 && setBands > 0 && setSignatures > 0)
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
