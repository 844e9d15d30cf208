import FcsynthCore

/// One operator of the method. A stage is pure apart from its LLM calls: it takes an item,
/// asks the model, parses and validates the reply, and says what comes next. It knows nothing
/// of Redis, so that it can be tested alone.
///
/// LLM failures (`LLMError`) are thrown, not handled: the pipeline decides whether to retry
/// the task later, pause for an outage, or give up.
public protocol Stage: Sendable {
    var name: StageName { get }
    func process(_ item: WorkItem, context: StageContext) async throws -> StageResult
}

/// What a stage sees besides the item.
public struct StageContext: Sendable {
    public var run: String
    public var settings: PipelineSettings
    public var llm: any LLMBackend
    /// Runs catalog functions for real (`tool_executor`); nil: the tool agent writes results.
    public var toolExecutor: (any ToolExecutor)?

    public init(
        run: String, settings: PipelineSettings, llm: any LLMBackend, toolExecutor: (any ToolExecutor)? = nil
    ) {
        self.run = run
        self.settings = settings
        self.llm = llm
        self.toolExecutor = toolExecutor
    }
}

/// A task for a stage's queue.
public struct StageTask: Codable, Sendable, Hashable {
    public var stage: StageName
    public var item: WorkItem

    public init(stage: StageName, item: WorkItem) {
        self.stage = stage
        self.item = item
    }
}

/// Where an item goes after a stage.
public enum StageOutcome: Sendable, Hashable {
    /// On to these tasks: one, or several when the stage fans out. Children carry ids of their own.
    case next([StageTask])
    /// A finished, validated conversation. Boxed: a record is large, and every async frame
    /// that holds a result would hold it inline.
    indirect case output(ConversationRecord)
    /// Removed by a filter or validator, for this reason; final.
    case filtered(reason: String)
    /// Run this task again later, for this reason; `kind` names it among the run's `errors:`.
    case retry(reason: String, kind: String)
}

public struct StageResult: Sendable, Hashable {
    public var outcome: StageOutcome
    /// Tokens this step spent, across all its LLM calls.
    public var usage: TokenUsage
    public var llmCalls: Int
    /// The model that answered each kind of call in this step, as the endpoint reported it.
    public var models: [String: String]
    /// Repairs the replies this step used needed, by kind (`ReplyRepair`).
    public var repairs: [String: Int]
    /// Run counters the step adds to, beyond those every step keeps (the judge's score histogram).
    public var counters: [String: Int]

    public init(
        outcome: StageOutcome, usage: TokenUsage = TokenUsage(), llmCalls: Int = 0, models: [String: String] = [:],
        repairs: [String: Int] = [:], counters: [String: Int] = [:]
    ) {
        self.outcome = outcome
        self.usage = usage
        self.llmCalls = llmCalls
        self.models = models
        self.repairs = repairs
        self.counters = counters
    }
}
