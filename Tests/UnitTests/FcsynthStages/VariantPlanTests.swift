import Testing

@testable import FcsynthCore
@testable import FcsynthStages

/// Which variant an item is built as, and what its assistant is shown.
@Suite struct VariantPlanTests {
    static func function(_ name: String, required: [String] = ["city"]) -> FunctionDefinition {
        FunctionDefinition(
            name: name, description: "Does \(name).",
            parameters: .object([
                "type": .string("object"), "required": .array(required.map { .string($0) }),
                "properties": .object([
                    "city": .object(["type": .string("string"), "description": .string("City name")]),
                    "unit": .object(["type": .string("string"), "enum": .array([.string("c"), .string("f")])]),
                ]),
            ]),
            responses: .object(["type": .string("object")]))
    }

    static let subTasks = [
        SubTask(task: "Find it.", functions: [function("search_things"), function("get_thing")]),
        SubTask(task: "Book it.", functions: [function("book_thing")]),
    ]

    static func settings(irrelevance: Double = 0, clarify: Double = 0) -> PipelineSettings {
        var settings = PipelineSettings()
        settings.irrelevanceRatio = irrelevance
        settings.clarifyRatio = clarify
        return settings
    }

    @Test func theRatiosGiveTheirSharesAndTheSameIdDrawsTheSame() {
        let settings = Self.settings(irrelevance: 0.1, clarify: 0.2)
        let ids = (0..<4000).map { "\($0).e0" }
        let drawn = ids.map { ItemVariant.choice(for: $0, settings: settings) }
        let counts = Dictionary(grouping: drawn) { $0 }.mapValues(\.count)
        // Binomial bounds far outside chance (more than five standard deviations).
        #expect((280...520).contains(counts[.irrelevance] ?? 0), "\(counts)")
        #expect((650...950).contains(counts[.clarify] ?? 0), "\(counts)")
        #expect(ids.map { ItemVariant.choice(for: $0, settings: settings) } == drawn)
        #expect(ids.allSatisfy { ItemVariant.choice(for: $0, settings: PipelineSettings()) == .standard })
    }

    /// An id the draw makes the given variant, found by search rather than assumed.
    static func id(drawing variant: ItemVariant, settings: PipelineSettings) throws -> String {
        try #require(
            (0..<1000).map { "item\($0)" }.first { ItemVariant.choice(for: $0, settings: settings) == variant })
    }

    @Test func irrelevanceWithholdsTheLastFunctionDesigned() throws {
        let settings = Self.settings(irrelevance: 0.5)
        let item = WorkItem(id: try Self.id(drawing: .irrelevance, settings: settings), line: 1)
        let plan = VariantPlan(item: item, subTasks: Self.subTasks, settings: settings)
        #expect(plan.variant == .irrelevance)
        #expect(plan.withheldFunction == "book_thing")
        #expect(plan.shown.map(\.name) == ["search_things", "get_thing"])
        #expect(plan.isUnavailable(Self.subTasks[1]) && !plan.isUnavailable(Self.subTasks[0]))
        // With one function there would be nothing left to call: the item stays standard.
        let single = VariantPlan(item: item, subTasks: [Self.subTasks[1]], settings: settings)
        #expect(single.variant == .standard && single.withheldFunction == nil)
    }

    @Test func clarifyWithholdsARequiredArgumentOfTheFirstCall() throws {
        let settings = Self.settings(clarify: 0.5)
        let item = WorkItem(id: try Self.id(drawing: .clarify, settings: settings), line: 1)
        let plan = VariantPlan(item: item, subTasks: Self.subTasks, settings: settings)
        #expect(plan.variant == .clarify)
        #expect(plan.withheldDetail == WithheldDetail(function: "search_things", parameter: "city"))
        #expect(plan.withheldDetailPrompt?["description"]?.stringValue == "City name")
        // An enum needs no asking: with only that required, the item stays standard.
        let enumOnly = [SubTask(task: "Convert.", functions: [Self.function("convert_unit", required: ["unit"])])]
        #expect(VariantPlan(item: item, subTasks: enumOnly, settings: settings).variant == .standard)
    }

    @Test func distractorsJoinTheShownFunctionsShuffledWithoutNeededNames() {
        var item = WorkItem(id: "7", line: 1)
        let extra = [Self.function("get_weather"), Self.function("book_thing"), Self.function("find_hotel")]
        item.distractors = extra
        let plan = VariantPlan(item: item, subTasks: Self.subTasks, settings: PipelineSettings())
        #expect(plan.distractors.map(\.name) == ["get_weather", "find_hotel"])
        let needed = ["search_things", "get_thing", "book_thing"]
        #expect(Set(plan.shown.map(\.name)) == Set(needed + ["get_weather", "find_hotel"]))
        #expect(plan.shown.count == 5)
        #expect(VariantPlan(item: item, subTasks: Self.subTasks, settings: PipelineSettings()).shown == plan.shown)
        // Shuffled by the item id: across ids the needed functions do not always come first.
        let orders = Set(
            (0..<20).map { id -> [String] in
                var other = item
                other.id = "\(id)"
                return VariantPlan(item: other, subTasks: Self.subTasks, settings: PipelineSettings()).shown.map(\.name)
            })
        #expect(orders.count > 3)
    }
}
