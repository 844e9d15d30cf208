import FcsynthCore

/// Composes sequentially: a subsequent task that needs the atomic task's output, fused with
/// the atomic task into one composition task. Sub-tasks: [atomic, subsequent].
public struct SequentialTaskGenerator: Stage {
    public let name = StageName.sequentialTask

    public init() {}

    public func process(_ item: WorkItem, context: StageContext) async throws -> StageResult {
        var exchange = ModelExchange(name, context: context)
        guard let atomTask = item.atomTask else { return exchange.missing("atomic task") }
        let catalogStep = context.settings.catalog.flatMap { catalog in
            item.catalogPlan?.first?.first.map { lead in
                (lead: lead, partner: CatalogPlanner(catalog).subsequent(after: lead, for: item), catalog: catalog)
            }
        }
        let prompt =
            catalogStep.map { step in
                Self.catalogPrompt(
                    atomTask: atomTask, lead: step.catalog.function(named: step.lead), subsequent: step.partner)
            } ?? Self.prompt(atomTask: atomTask)
        let answer = try await exchange.ask(prompt, schema: ReplySchema.sequentialComposition) {
            reply throws(ReplyProblem) in
            let object = try ReplyObject(reply)
            let composition = (
                subsequent: try object.string("subsequent_task"), task: try object.string("composition_task")
            )
            try Composition.checkDistinct(composition.task, from: [atomTask, composition.subsequent])
            return composition
        }
        guard let composition = answer else { return exchange.stopped() }

        var next = item
        next.compositionMode = .sequential
        next.subsequentTask = composition.subsequent
        next.compositionTask = composition.task
        next.subTasks = [SubTask(task: atomTask), SubTask(task: composition.subsequent)]
        var counters: [String: Int] = [:]
        if let step = catalogStep {
            let partner = step.partner.map { [$0.function.name] } ?? []
            next.catalogPlan = [[step.lead], partner]
            for name in partner { counters[CatalogCoverage.partnerCounter(name)] = 1 }
        }
        return exchange.result(.next([StageTask(stage: .compositionFilter, item: next)]), counters: counters)
    }
}
