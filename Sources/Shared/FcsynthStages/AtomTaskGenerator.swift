import FcsynthCore

/// Writes atomic tasks for a scenario: single-step, fully specified requests. With more than
/// one per scenario, each goes on as an item of its own.
public struct AtomTaskGenerator: Stage {
    public let name = StageName.atomTask
    /// The prompt asks for about 30 words; past this the task is no longer atomic.
    package static let maxWords = 45

    public init() {}

    public func process(_ item: WorkItem, context: StageContext) async throws -> StageResult {
        var exchange = ModelExchange(name, context: context)
        guard let scenario = item.scenario else { return exchange.missing("scenario") }
        let count = max(1, context.settings.atomTasksPerScenario)
        let leads = context.settings.catalog.map { CatalogPlanner($0).leads(for: item, count: count) }
        guard leads?.isEmpty != true else { return exchange.missing("catalog function to lead with") }
        let prompt =
            leads.map { Self.catalogPrompt(scenario: scenario, leads: $0) }
            ?? Self.prompt(scenario: scenario, count: count)
        let answer = try await exchange.ask(prompt, schema: ReplySchema.atomTasks) {
            reply throws(ReplyProblem) in
            try Self.tasks(in: reply, limit: count)
        }
        guard let tasks = answer else { return exchange.stopped() }

        var next: [StageTask] = []
        var counters: [String: Int] = [:]
        for (index, task) in tasks.enumerated() {
            var child = count == 1 ? item : item.child("a\(index)")
            let mode = CompositionMode.choice(for: child.id, settings: context.settings)
            child.atomTask = task
            child.compositionMode = mode
            if let lead = leads.map({ $0[index % $0.count].name }) {
                child.catalogPlan = [[lead]]
                counters[CatalogCoverage.leadCounter(lead), default: 0] += 1
            }
            next.append(StageTask(stage: mode.stage, item: child))
        }
        return exchange.result(.next(next), counters: counters)
    }

    /// The distinct tasks, at most `limit`.
    package static func tasks(in reply: JSONValue, limit: Int) throws(ReplyProblem) -> [String] {
        var seen: Set<String> = []
        var result: [String] = []
        for task in try ReplyObject(reply).strings("atom_tasks") where result.count < limit {
            guard task.wordCount <= maxWords else {
                throw ReplyProblem(
                    "the task \"\(task)\" has \(task.wordCount) words; an atomic task has about 30 at most")
            }
            if seen.insert(task.lowercased()).inserted { result.append(task) }
        }
        return result
    }
}
