/// Where a conversation came from: enough to trace any output line back to its input row.
public struct Lineage: Codable, Sendable, Hashable {
    public var run: String
    public var line: Int
    public var itemId: String
    public var scenario: String
    public var atomTask: String
    public var compositionMode: CompositionMode
    public var compositionTask: String
    public var subTasks: [String]
    /// The names of the functions designed for each sub-task, in the same order.
    public var subTaskFunctions: [[String]]?
    /// Whether the assistant could call several functions in one turn.
    public var parallelToolCalls: Bool?
    /// Every check the record went through, by name, with what each found.
    public var checks: [String: CheckResult]?
    /// Repairs the replies behind the record needed, by kind (`ReplyRepair`); nil when none.
    public var repairs: [String: Int]?
    /// The ids of the calls the tool agent answered with an error (`tool_error_rate`); nil when none.
    public var toolErrors: [String]?
    /// The judge stage's scores and reasons; nil when the run does not judge.
    public var judge: JudgeVerdict?
    /// Set by the worker that hands the record off, which knows the backend.
    public var provenance: Provenance?
    /// The variant the item was built as; nil in records from before variants, which are standard.
    public var variant: ItemVariant?
    /// The names among `tools` that the item does not need, drawn from other items' designs.
    public var distractors: [String]?
    /// In an `irrelevance` record: the needed function withheld from the assistant.
    public var withheldFunction: String?
    /// In a `clarify` record: the argument whose value the user left out of the request.
    public var withheldDetail: WithheldDetail?
    /// The earlier item whose function set (names, parameters and their types) this record's
    /// is near, by the run's `--dedup-threshold`; nil when none is, or the run does not dedup.
    public var functionsLike: String?

    public init(
        run: String, line: Int, itemId: String, scenario: String, atomTask: String,
        compositionMode: CompositionMode, compositionTask: String, subTasks: [String],
        subTaskFunctions: [[String]]? = nil, parallelToolCalls: Bool? = nil, checks: [String: CheckResult]? = nil,
        provenance: Provenance? = nil
    ) {
        self.run = run
        self.line = line
        self.itemId = itemId
        self.scenario = scenario
        self.atomTask = atomTask
        self.compositionMode = compositionMode
        self.compositionTask = compositionTask
        self.subTasks = subTasks
        self.subTaskFunctions = subTaskFunctions
        self.parallelToolCalls = parallelToolCalls
        self.checks = checks
        self.provenance = provenance
    }

    package enum CodingKeys: String, CodingKey {
        case run, line, scenario, provenance, checks, repairs, judge, variant, distractors
        case withheldFunction = "withheld_function"
        case withheldDetail = "withheld_detail"
        case functionsLike = "functions_like"
        case toolErrors = "tool_errors"
        case itemId = "item_id"
        case atomTask = "atom_task"
        case compositionMode = "composition_mode"
        case compositionTask = "composition_task"
        case subTasks = "sub_tasks"
        case subTaskFunctions = "sub_task_functions"
        case parallelToolCalls = "parallel_tool_calls"
    }
}

/// A finished, validated conversation: what lands in the output stream, one entry each.
/// `messages` start with the training system prompt, which lists only the tools.
public struct ConversationRecord: Codable, Sendable, Hashable {
    public var id: String
    public var messages: [OutputMessage]
    public var tools: [ToolDefinition]
    /// The functions with their `responses` schemas, which OpenAI's tool objects cannot carry.
    public var functions: [FunctionDefinition]
    public var lineage: Lineage
    public var usage: TokenUsage

    public init(
        id: String, messages: [OutputMessage], tools: [ToolDefinition], functions: [FunctionDefinition],
        lineage: Lineage, usage: TokenUsage
    ) {
        self.id = id
        self.messages = messages
        self.tools = tools
        self.functions = functions
        self.lineage = lineage
        self.usage = usage
    }
}
