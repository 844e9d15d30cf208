import FcsynthCore

/// Widens the pool of scenarios: asks for new ones that differ substantially from the
/// extracted scenario, and sends each on as an item of its own, the original too.
public struct ScenarioExpander: Stage {
    public let name = StageName.scenarioExpand

    public init() {}

    public func process(_ item: WorkItem, context: StageContext) async throws -> StageResult {
        var exchange = ModelExchange(name, context: context)
        guard let scenario = item.scenario else { return exchange.missing("scenario") }
        let count = context.settings.scenarioExpansions
        let answer = try await exchange.ask(
            Self.prompt(scenario: scenario, count: count), schema: ReplySchema.scenarios
        ) {
            reply throws(ReplyProblem) in
            try Self.newScenarios(in: reply, original: scenario, limit: count)
        }
        guard let scenarios = answer else { return exchange.stopped() }

        let tasks = ([scenario] + scenarios).enumerated().map { index, scenario in
            var child = item.child("e\(index)")
            child.scenario = scenario
            return StageTask(stage: .atomTask, item: child)
        }
        return exchange.result(.next(tasks))
    }

    /// The distinct new scenarios, at most `limit`. Repeats of the original or of each other
    /// are dropped; a reply with nothing new left is a problem.
    package static func newScenarios(in reply: JSONValue, original: String, limit: Int) throws(ReplyProblem) -> [String]
    {
        var seen: Set<String> = [original.lowercased()]
        var result: [String] = []
        for scenario in try ReplyObject(reply).strings("scenarios") where result.count < limit {
            guard scenario.wordCount <= ScenarioExtractor.maxWords else {
                throw ReplyProblem(
                    "the scenario \"\(scenario)\" has \(scenario.wordCount) words; keep each to ten words or fewer")
            }
            if seen.insert(scenario.lowercased()).inserted { result.append(scenario) }
        }
        guard !result.isEmpty else {
            throw ReplyProblem("\"scenarios\" holds no scenario different from the given one")
        }
        return result
    }
}
