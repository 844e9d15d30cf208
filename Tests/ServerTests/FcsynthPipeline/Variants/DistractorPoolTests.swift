import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline
@testable import FcsynthRedis
@testable import FcsynthSimulatedLLM
@testable import FcsynthStages

/// The run's distractor pool in a real Redis: what one worker's items designed, another
/// worker's items are shown; within its bounds; and an unreachable pool retries the task.
@Suite struct DistractorPoolTests {
    /// Items at the function_gen stage, made by running the simulated stages before it.
    static func functionGenItems(_ count: Int) async throws -> [WorkItem] {
        let context = StageContext(run: "r", settings: PipelineSettings(), llm: SimulatedLLM())
        var queue = (1...count).map {
            StageTask(
                stage: .scenarioExtract,
                item: WorkItem(id: "\($0)", line: $0, seed: "user: question number \($0) about my plans"))
        }
        var ready: [WorkItem] = []
        while !queue.isEmpty {
            let task = queue.removeFirst()
            guard task.stage != .functionGen else {
                ready.append(task.item)
                continue
            }
            if case .next(let next) = try await StageCatalog.stage(task.stage).process(task.item, context: context)
                .outcome
            {
                queue += next
            }
        }
        return ready
    }

    struct Worker {
        let redis: RedisClient
        let processor: TaskProcessor

        init(url: RedisURL, options: RedisClientOptions = .default) {
            redis = RedisClient(url: url, options: options)
            processor = TaskProcessor(
                stages: [.functionGen: FunctionGenerator()], llm: SimulatedLLM(), outage: OutageDetector(),
                backoff: nil, redis: redis)
        }

        /// The conversation task the item's function_gen task hands on.
        func designAndDraw(_ item: WorkItem, keys: RunKeys, settings: RunSettings) async throws -> WorkItem {
            let entry = try TaskEnvelope(run: keys.run, stage: .functionGen, item: item).encoded()
            let completion = try #require(await processor.process(entry, keys: keys, settings: settings))
            let pushed = try #require(
                completion.operations.compactMap { operation -> Data? in
                    if case .push(.conversation, let data) = operation { data } else { nil }
                }.first, "\(completion.operations)")
            return try TaskEnvelope.decode(pushed).item
        }
    }

    static func settings(distractors: Int) -> RunSettings {
        var settings = RunSettings()
        settings.pipeline.distractors = distractors
        // The pool alone: the near-duplicate index shares the worker's Redis, and is tested apart.
        settings.nearDuplicates = nil
        return settings
    }

    @Test func oneWorkersItemsAreShownTheFunctionsAnotherWorkersItemsDesigned() async throws {
        let url = try TestEnvironment.redis()
        let (first, second) = (Worker(url: url), Worker(url: url))
        defer {
            first.redis.close()
            second.redis.close()
        }
        try await PipelineScripts.load(into: first.redis)
        let keys = RunKeys(namespace: TestEnvironment.uniqueName("pool"), run: "r")
        let items = try await Self.functionGenItems(12)
        #expect(items.count >= 8)
        let settings = Self.settings(distractors: 3)

        var designedByFirst: Set<String> = []
        for item in items.prefix(items.count / 2) {
            let handed = try await first.designAndDraw(item, keys: keys, settings: settings)
            designedByFirst.formUnion((handed.subTasks ?? []).flatMap(\.functions).map(\.name))
        }
        // The second worker's first item finds only what the first worker's items designed.
        var shownBySecond: [[String]] = []
        for item in items.suffix(items.count - items.count / 2) {
            let handed = try await second.designAndDraw(item, keys: keys, settings: settings)
            let own = Set((handed.subTasks ?? []).flatMap(\.functions).map(\.name))
            let shown = (handed.distractors ?? []).map(\.name)
            #expect(Set(shown).isDisjoint(with: own), "\(handed.id) is shown its own functions: \(shown)")
            #expect(shown.count == 3, "\(handed.id): \(shown)")
            shownBySecond.append(shown)
        }
        #expect(Set(try #require(shownBySecond.first)).isSubset(of: designedByFirst))
        // The pool holds every name designed, once.
        let pooled = try await first.redis.send("HKEYS", keys.distractors).array?.compactMap(\.string) ?? []
        #expect(Set(pooled).isSuperset(of: designedByFirst) && Set(pooled).count == pooled.count)
    }

    @Test func theDrawIsTheSameForTheSameItemAndPoolAndPrefersTheItemsDomain() async throws {
        let redis = RedisClient(url: try TestEnvironment.redis())
        defer { redis.close() }
        try await PipelineScripts.load(into: redis)
        let keys = RunKeys(namespace: TestEnvironment.uniqueName("pool"), run: "r")
        let pool = DistractorPool(redis: redis, keys: keys)
        let others = (1...12).map { index in
            FunctionDefinition(
                name: "tool_\(index)_widget", description: "d", parameters: .object(["type": .string("object")]),
                responses: .object(["type": .string("object")]))
        }
        let sameDomain = ["reserve_flight", "cancel_flights", "rate_flight"].map { name in
            FunctionDefinition(
                name: name, description: "d", parameters: .object(["type": .string("object")]),
                responses: .object(["type": .string("object")]))
        }
        try await pool.add(others + sameDomain)
        let needed = [sameDomain[0]]
        let drawn = try await pool.draw(count: 4, for: "7.e0", needed: needed)
        #expect(drawn.map(\.name).prefix(2).sorted() == ["cancel_flights", "rate_flight"])
        #expect(drawn.count == 4 && !drawn.contains(sameDomain[0]))
        #expect(try await pool.draw(count: 4, for: "7.e0", needed: needed) == drawn)
        #expect(FunctionDomain.of("searchFlights") == "flight")
        #expect(FunctionDomain.of("list_categories") == "category")
    }

    @Test func thePoolAndEachDomainStayWithinTheirCapacities() async throws {
        let redis = RedisClient(url: try TestEnvironment.redis())
        defer { redis.close() }
        try await PipelineScripts.load(into: redis)
        let keys = RunKeys(namespace: TestEnvironment.uniqueName("pool"), run: "r")
        let names = (1...6).map { "get_thing_\($0)" }
        let script = PipelineScripts.addDistractors
        let added = try await script.evaluate(
            on: redis, keys: keys, parts: names.map { _ in "thing" },
            arguments: [4 as any RedisArgument, 3] + names.flatMap { [$0, "{\"name\":\"\($0)\"}"] })
        #expect(added.integer == 4)
        #expect(try await redis.send("HLEN", keys.distractors).integer == 4)
        #expect(try await redis.send("SCARD", keys.distractors(domain: "thing")).integer == 3)
        // A name already pooled keeps its first design.
        _ = try await script.evaluate(
            on: redis, keys: keys, parts: ["thing"], arguments: [4 as any RedisArgument, 3, names[0], "{}"])
        #expect(try await redis.send("HGET", keys.distractors, names[0]).string == "{\"name\":\"get_thing_1\"}")
    }

    @Test func anUnreachablePoolSendsTheTaskBackToRetry() async throws {
        let worker = Worker(url: try RedisURL(parsing: "redis://127.0.0.1:1"), options: .failFast)
        defer { worker.redis.close() }
        let item = try #require(try await Self.functionGenItems(1).first)
        let keys = RunKeys(namespace: TestEnvironment.uniqueName("pool"), run: "r")
        let entry = try TaskEnvelope(run: keys.run, stage: .functionGen, item: item).encoded()
        let completion = try #require(
            await worker.processor.process(entry, keys: keys, settings: Self.settings(distractors: 2)))
        let retried = completion.operations.contains { operation in
            if case .delay = operation { true } else { false }
        }
        #expect(retried, "\(completion.operations)")
        #expect(completion.operations.contains(.increment("errors:distractor_pool", 1)))
        #expect(!completion.operations.contains { if case .push = $0 { true } else { false } })
    }
}
