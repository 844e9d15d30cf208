import FcsynthCore

/// Names the general, everyday scenario behind an item's seed chat.
public struct ScenarioExtractor: Stage {
    public let name = StageName.scenarioExtract
    /// Scenarios are short phrases; past this the model has put in specifics.
    package static let maxWords = 12

    public init() {}

    public func process(_ item: WorkItem, context: StageContext) async throws -> StageResult {
        var exchange = ModelExchange(name, context: context)
        guard let seed = item.seed, !seed.trimmed.isEmpty else { return exchange.missing("seed chat") }
        let answer = try await exchange.ask(Self.prompt(seed: seed), schema: ReplySchema.scenario) {
            reply throws(ReplyProblem) in
            let scenario = try ReplyObject(reply).string("scenario")
            guard scenario.wordCount <= Self.maxWords else {
                throw ReplyProblem(
                    "the scenario has \(scenario.wordCount) words; keep it to ten words or fewer, with no specifics")
            }
            return scenario
        }
        guard let scenario = answer else { return exchange.stopped() }

        var next = item
        next.seed = nil
        next.scenario = scenario
        let stage: StageName = context.settings.scenarioExpansions > 0 ? .scenarioExpand : .atomTask
        return exchange.result(.next([StageTask(stage: stage, item: next)]))
    }
}
