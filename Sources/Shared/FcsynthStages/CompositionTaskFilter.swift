import FcsynthCore

/// Asks the model whether doing the sub-tasks in order completes the composition task, and
/// drops the item when it says no, keeping the model's reasoning as the reason.
public struct CompositionTaskFilter: Stage {
    public let name = StageName.compositionFilter

    public init() {}

    public func process(_ item: WorkItem, context: StageContext) async throws -> StageResult {
        var exchange = ModelExchange(name, context: context)
        guard let composition = item.compositionTask else { return exchange.missing("composition task") }
        guard let subTasks = item.subTasks, !subTasks.isEmpty else { return exchange.missing("sub-tasks") }
        let prompt = Self.prompt(
            composition: composition, subTasks: subTasks.map(\.task), mode: item.compositionMode ?? .sequential)
        // A verdict, not writing: the same item should always get the same one.
        let answer = try await exchange.ask(prompt, schema: ReplySchema.feasibility, temperature: 0) {
            reply throws(ReplyProblem) in
            let object = try ReplyObject(reply)
            return (analysis: try object.string("analysis"), feasible: try object.bool("feasible"))
        }
        guard let verdict = answer else { return exchange.stopped() }
        guard verdict.feasible else {
            return exchange.result(.filtered(reason: "\(name.rawValue): infeasible: \(verdict.analysis)"))
        }

        var next = item
        next.feasibilityAnalysis = verdict.analysis
        return exchange.result(.next([StageTask(stage: .functionGen, item: next)]))
    }
}
