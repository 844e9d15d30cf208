import FcsynthCore

/// Designs the functions each sub-task calls: none for logic, comparison and arithmetic,
/// otherwise general, fine-grained functions whose outputs feed each other. The reply is
/// parsed and validated here, so later prompts only ever embed checked definitions.
public struct FunctionGenerator: Stage {
    public let name = StageName.functionGen

    public init() {}

    public func process(_ item: WorkItem, context: StageContext) async throws -> StageResult {
        if let catalog = context.settings.catalog {
            return try await FunctionSelector(catalog).process(item, context: context)
        }
        var exchange = ModelExchange(name, context: context)
        guard let composition = item.compositionTask else { return exchange.missing("composition task") }
        guard let subTasks = item.subTasks, !subTasks.isEmpty else { return exchange.missing("sub-tasks") }
        let prompt = Self.prompt(composition: composition, subTasks: subTasks.map(\.task))
        let answer = try await exchange.ask(prompt, schema: ReplySchema.functionDesign) { reply throws(ReplyProblem) in
            try Self.subTasks(in: reply, expecting: subTasks)
        }
        guard let (designed, repairs) = answer else { return exchange.stopped() }
        exchange.record(repairs)

        var next = item
        next.subTasks = designed
        next.conversation = ConversationState()
        return exchange.result(.next([StageTask(stage: .conversation, item: next)]))
    }

    /// The item's sub-tasks with the reply's functions, checked: one entry per sub-task, in
    /// order, at least one function in all, and definitions that pass `FunctionValidator`
    /// (names unique within the item). The schemas are first fixed by `SchemaCoercion.coercedSchema`
    /// (values of the declared types, one-element type lists unwrapped); the fixes are returned to count.
    package static func subTasks(
        in reply: JSONValue, expecting expected: [SubTask]
    ) throws(ReplyProblem) -> (subTasks: [SubTask], repairs: [ReplyRepair]) {
        var repairs: [ReplyRepair] = []
        let entries = try ReplyObject(reply).objects("sub_tasks")
        guard entries.count == expected.count else {
            throw ReplyProblem(
                "\"sub_tasks\" has \(entries.count) entries but there are \(expected.count) sub-tasks; give one entry per sub-task, in the order given"
            )
        }
        var result: [SubTask] = []
        for (index, (entry, subTask)) in zip(entries, expected).enumerated() {
            // Matched by position: a model that paraphrases a sub-task still designs for it, and
            // the item keeps its own wording. Only another sub-task's text is a reordering.
            let text = try entry.string("sub_task")
            if Self.normalized(text) != Self.normalized(subTask.task),
                let other = expected.firstIndex(where: { Self.normalized($0.task) == Self.normalized(text) })
            {
                throw ReplyProblem(
                    "sub_tasks[\(index)].sub_task is \"\(text)\", which is sub-task \(other + 1); give one entry per sub-task, in the order given"
                )
            }
            var functions: [FunctionDefinition] = []
            for function in try entry.objects("functions", allowEmpty: true) {
                let parameters = SchemaCoercion.coercedSchema(try function.value("parameters"))
                let responses = SchemaCoercion.coercedSchema(try function.value("responses"))
                repairs += parameters.repairs + responses.repairs
                functions.append(
                    FunctionDefinition(
                        name: try function.string("name"),
                        description: try function.string("description"),
                        parameters: parameters.schema,
                        responses: responses.schema))
            }
            result.append(SubTask(task: subTask.task, functions: functions))
        }
        guard result.contains(where: { !$0.functions.isEmpty }) else {
            throw ReplyProblem("no sub-task has a function; at least one sub-task needs a function to call")
        }
        let violations = FunctionValidator.validate(result)
        guard violations.isEmpty else {
            throw ReplyProblem("the functions are not valid: " + violations.map(\.description).joined(separator: "; "))
        }
        return (result, repairs)
    }

    /// Case, spacing and closing punctuation do not make a different sub-task.
    private static func normalized(_ text: String) -> String {
        var words = text.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        while let last = words.last, last.isPunctuation { words.removeLast() }
        return words
    }
}
