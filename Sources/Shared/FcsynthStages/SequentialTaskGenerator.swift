import FcsynthCore

/// Composes sequentially: a subsequent task that needs the atomic task's output, fused with
/// the atomic task into one composition task. Sub-tasks: [atomic, subsequent].
public struct SequentialTaskGenerator: Stage {
    public let name = StageName.sequentialTask

    public init() {}

    public func process(_ item: WorkItem, context: StageContext) async throws -> StageResult {
        var exchange = ModelExchange(name, context: context)
        guard let atomTask = item.atomTask else { return exchange.missing("atomic task") }
        let answer = try await exchange.ask(Self.prompt(atomTask: atomTask), schema: ReplySchema.sequentialComposition)
        { reply throws(ReplyProblem) in
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
        return exchange.result(.next([StageTask(stage: .compositionFilter, item: next)]))
    }
}
