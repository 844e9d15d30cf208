/// A run's synthesis options. Stored in Redis by enqueue so that every worker, wherever it
/// starts, generates with the same settings. Never holds a secret.
public struct PipelineSettings: Codable, Sendable, Hashable {
    /// The input rows' field that holds the seed chat.
    public var inputKey: String = "chat"
    /// New scenarios per extracted scenario; 0 turns expansion off.
    public var scenarioExpansions: Int = 0
    public var atomTasksPerScenario: Int = 1
    public var composition: CompositionSetting = .mixed
    /// With `mixed`: the share of items composed parallel-then-sequential.
    public var paraSeqRatio: Double = 0.5
    /// Assistant turns before a conversation that has not reached a final answer is filtered.
    public var maxRounds: Int = 8
    public var parallelToolCalls: Bool = true
    public var jsonMode: Bool = true
    /// With `jsonMode`: send each call's reply schema (`response_format` `json_schema`), for
    /// endpoints that constrain their output to it.
    public var replySchemas: Bool = false
    public var temperature: Double = 0.7
    public var maxTokens: Int?
    /// Times a reply that fails parsing or validation is asked for again, with the error told to the model.
    public var maxCorrections: Int = 2
    /// Whether a conversation that fails a meaning check is filtered; when false the checks
    /// still run and their findings are recorded in the lineage.
    public var enforceChecks: Bool = true
    /// Whether a parallel-then-sequential conversation must call its independent steps in one
    /// turn; otherwise that is measured only.
    public var requireParallelCalls: Bool = false
    /// Whether a number, date or time the rules cannot trace (`derived_value`) fails the
    /// conversation; otherwise it is recorded, and left to the judge.
    public var enforceDerivedValues: Bool = false
    /// Whether each conversation that passes its checks goes to the judge stage for scores.
    public var judge: Bool = true
    /// A judged conversation is kept only when every one of its scores reaches this (1 to 5).
    public var minJudgeScore: Int = 3
    /// The share of tool calls (0 to 1) the tool agent answers with an error result, so that
    /// the data shows an assistant recovering from a failed call.
    public var toolErrorRate: Double = 0
    /// Functions other items designed, shown to the assistant beside the ones the item needs,
    /// so that it learns to choose; a call to one fails the item's checks.
    public var distractors: Int = 0
    /// The share of items (0 to 1) whose request a withheld function cannot fully serve.
    public var irrelevanceRatio: Double = 0
    /// The share of items (0 to 1) whose user leaves out a detail the assistant must ask for.
    public var clarifyRatio: Double = 0
    /// Catalog mode (`--tools`): conversations call these functions, which the stages compose
    /// over and select from, instead of functions they design. Nil: functions are designed.
    public var catalog: ToolCatalog?
    /// With a catalog: where tool calls are executed for real (`--tool-executor`); nil: the
    /// tool agent writes results from the functions' `responses`.
    public var toolExecutor: String?

    public init() {}

    public var isCatalogMode: Bool { catalog != nil }

    package enum CodingKeys: String, CodingKey {
        case composition, temperature
        case inputKey = "input_key"
        case scenarioExpansions = "scenario_expansions"
        case atomTasksPerScenario = "atom_tasks_per_scenario"
        case paraSeqRatio = "para_seq_ratio"
        case maxRounds = "max_rounds"
        case parallelToolCalls = "parallel_tool_calls"
        case jsonMode = "json_mode"
        case replySchemas = "reply_schemas"
        case maxTokens = "max_tokens"
        case maxCorrections = "max_corrections"
        case enforceChecks = "enforce_checks"
        case requireParallelCalls = "require_parallel_calls"
        case enforceDerivedValues = "enforce_derived_values"
        case judge
        case minJudgeScore = "min_judge_score"
        case toolErrorRate = "tool_error_rate"
        case distractors
        case irrelevanceRatio = "irrelevance_ratio"
        case clarifyRatio = "clarify_ratio"
        case catalog
        case toolExecutor = "tool_executor"
    }
}
