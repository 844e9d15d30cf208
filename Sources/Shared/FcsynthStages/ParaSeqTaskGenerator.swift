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
        let answer = try await exchange.ask(Self.prompt(atomTask: atomTask), schema: ReplySchema.parallelComposition) {
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
        return exchange.result(.next([StageTask(stage: .compositionFilter, item: next)]))
    }
}
