import FcsynthCore

/// Composes parallel-then-sequential: a parallel task whose input does not depend on the
/// atomic task, and a subsequent task that needs both outputs, fused into one composition
/// task. Sub-tasks: [atomic, parallel, subsequent].
public struct ParaSeqTaskGenerator: Stage {
    public let name = StageName.paraSeqTask

    public init() {}

    public func process(_ item: WorkItem, context: StageContext) async throws -> StageResult {
        var exchange = ModelExchange(name, context: context)
        guard let atomTask = item.atomTask else { return exchange.missing("atomic task") }
        let catalogSteps = context.settings.catalog.flatMap { catalog in
            item.catalogPlan?.first?.first.map { lead in
                let planner = CatalogPlanner(catalog)
                let parallel = planner.parallel(to: lead, for: item)
                let taken = Set([lead] + (parallel.map { [$0.name] } ?? []))
                let subsequent =
                    planner.subsequent(after: lead, for: item, excluding: taken)
                    ?? parallel.flatMap { planner.subsequent(after: $0.name, for: item, excluding: taken) }
                return (lead: lead, parallel: parallel, subsequent: subsequent, catalog: catalog)
            }
        }
        let prompt =
            catalogSteps.map { steps in
                Self.catalogPrompt(
                    atomTask: atomTask, lead: steps.catalog.function(named: steps.lead), parallel: steps.parallel,
                    subsequent: steps.subsequent)
            } ?? Self.prompt(atomTask: atomTask)
        let answer = try await exchange.ask(prompt, schema: ReplySchema.parallelComposition) {
            reply throws(ReplyProblem) in
            let object = try ReplyObject(reply)
            let composition = (
                parallel: try object.string("parallel_task"),
                subsequent: try object.string("subsequent_task"),
                task: try object.string("composition_task")
            )
            try Composition.checkDistinct(
                composition.task, from: [atomTask, composition.parallel, composition.subsequent])
            guard composition.parallel.lowercased() != composition.subsequent.lowercased() else {
                throw ReplyProblem("\"parallel_task\" and \"subsequent_task\" are the same task")
            }
            return composition
        }
        guard let composition = answer else { return exchange.stopped() }

        var next = item
        next.compositionMode = .paraSeq
        next.parallelTask = composition.parallel
        next.subsequentTask = composition.subsequent
        next.compositionTask = composition.task
        next.subTasks = [
            SubTask(task: atomTask), SubTask(task: composition.parallel), SubTask(task: composition.subsequent),
        ]
        var counters: [String: Int] = [:]
        if let steps = catalogSteps {
            let later = [steps.parallel?.name, steps.subsequent?.function.name].map { name in name.map { [$0] } ?? [] }
            next.catalogPlan = [[steps.lead]] + later
            for name in later.joined() { counters[CatalogCoverage.partnerCounter(name)] = 1 }
        }
        return exchange.result(.next([StageTask(stage: .compositionFilter, item: next)]), counters: counters)
    }
}
