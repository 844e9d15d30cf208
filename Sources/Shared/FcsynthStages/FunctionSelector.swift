import FcsynthCore

/// The function stage in catalog mode: instead of designing functions, it has the model choose,
/// for each sub-task, the catalog functions that do it, from the planned ones and their
/// neighbours in the catalog. Every name must be a catalog function, and the lead function
/// must stay with the first sub-task, so that the run covers the catalog as planned. The
/// definitions come from the catalog, never from the reply.
package struct FunctionSelector {
    package let catalog: ToolCatalog

    package init(_ catalog: ToolCatalog) {
        self.catalog = catalog
    }

    package func process(_ item: WorkItem, context: StageContext) async throws -> StageResult {
        var exchange = ModelExchange(.functionGen, context: context)
        guard let composition = item.compositionTask else { return exchange.missing("composition task") }
        guard let subTasks = item.subTasks, !subTasks.isEmpty else { return exchange.missing("sub-tasks") }
        guard let plan = item.catalogPlan, plan.count == subTasks.count, let lead = plan.first?.first else {
            return exchange.missing("catalog plan for each sub-task")
        }
        let planner = CatalogPlanner(catalog)
        let candidates = planner.candidates(for: plan, item: item)
        let prompt = Self.prompt(
            composition: composition, subTasks: subTasks.map(\.task), plan: plan, candidates: candidates)
        let answer = try await exchange.ask(prompt, schema: ReplySchema.functionSelection) {
            reply throws(ReplyProblem) in
            try selection(in: reply, subTasks: subTasks, lead: lead)
        }
        guard let selected = answer else { return exchange.stopped() }

        var next = item
        next.subTasks = selected
        next.distractors = planner.distractors(
            count: context.settings.distractors, for: item, needed: selected.distinctFunctions.map(\.name))
        next.conversation = ConversationState()
        return exchange.result(.next([StageTask(stage: .conversation, item: next)]))
    }

    /// The sub-tasks with the catalog's definitions of the functions the reply chose: one entry
    /// per sub-task in order, names the catalog has, the lead kept first. A function chosen
    /// again for a later sub-task is listed once, under the first, as designed functions are.
    package func selection(in reply: JSONValue, subTasks: [SubTask], lead: String) throws(ReplyProblem) -> [SubTask] {
        let entries = try ReplyObject(reply).objects("sub_tasks")
        guard entries.count == subTasks.count else {
            throw ReplyProblem(
                "\"sub_tasks\" has \(entries.count) entries but there are \(subTasks.count) sub-tasks; give one entry per sub-task, in the order given"
            )
        }
        var chosen: Set<String> = []
        var result: [SubTask] = []
        for (index, (entry, subTask)) in zip(entries, subTasks).enumerated() {
            var functions: [FunctionDefinition] = []
            for name in try entry.array("functions", allowEmpty: true).map({ $0.stringValue ?? "" }) {
                guard let function = catalog.function(named: name) else {
                    throw ReplyProblem(
                        "sub_tasks[\(index)].functions names \"\(name)\", which is not in the catalog; choose only names from \"candidates\", or none"
                    )
                }
                if chosen.insert(name).inserted { functions.append(function) }
            }
            result.append(SubTask(task: subTask.task, functions: functions))
        }
        guard result.first?.functions.contains(where: { $0.name == lead }) == true else {
            throw ReplyProblem(
                "sub_tasks[0].functions must include \"\(lead)\": the first sub-task was written for it")
        }
        return result
    }
}
