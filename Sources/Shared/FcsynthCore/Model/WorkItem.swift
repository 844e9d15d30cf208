/// An item as it travels the pipeline: each stage fills in its fields and hands it on.
/// Fan-out gives each child an id of its own, derived from its parent's.
public struct WorkItem: Codable, Sendable, Hashable {
    public var id: String
    /// 1-based line (or array element) of the input file the item descends from.
    public var line: Int
    /// The seed chat; dropped once the scenario is extracted.
    public var seed: String?
    public var scenario: String?
    public var atomTask: String?
    public var compositionMode: CompositionMode?
    public var parallelTask: String?
    public var subsequentTask: String?
    public var compositionTask: String?
    public var feasibilityAnalysis: String?
    public var subTasks: [SubTask]?
    public var conversation: ConversationState?
    /// The finished, checked record, waiting for the judge's scores.
    public var candidate: ConversationRecord? {
        get { boxedCandidate?.value }
        set { boxedCandidate = newValue.map(Indirect.init) }
    }
    /// A record is large, and every async frame that holds an item would hold it inline.
    private var boxedCandidate: Indirect<ConversationRecord>?
    /// Tokens spent on this item so far, across stages.
    public var usage: TokenUsage?
    /// The model that answered each kind of call so far, as the endpoint reported it.
    public var models: [String: String]?
    /// Repairs the replies behind this item needed so far, by kind (`ReplyRepair`).
    public var repairs: [String: Int]?
    /// Answers the response cache (`--cache`) gave this item's calls so far, by stage.
    public var cachedCalls: [String: Int]?
    /// Answers that came through the provider's Batch API (`--llm-mode batch`) so far, by stage.
    public var batchCalls: [String: Int]?
    /// Batch rounds the item has waited so far: `--online-after` sends its calls online past a limit.
    public var batchRounds: Int?
    /// Functions other items designed, drawn from the run's pool as the item enters the
    /// conversation, for the assistant to be shown beside its own (`distractors`).
    public var distractors: [FunctionDefinition]?
    /// The earlier item whose function set this item's is near (`near_duplicate_functions`):
    /// said in the record's lineage, not a reason to drop the item.
    public var functionsLike: String?
    /// In catalog mode: the catalog functions meant for each sub-task so far, in order (none
    /// for a step the assistant reasons out); the first is the item's lead function.
    public var catalogPlan: [[String]]?

    public init(id: String, line: Int, seed: String? = nil) {
        self.id = id
        self.line = line
        self.seed = seed
    }

    package enum CodingKeys: String, CodingKey {
        case id, line, seed, scenario, conversation, usage, models, repairs, distractors
        case boxedCandidate = "candidate"
        case atomTask = "atom_task"
        case compositionMode = "composition_mode"
        case parallelTask = "parallel_task"
        case subsequentTask = "subsequent_task"
        case compositionTask = "composition_task"
        case feasibilityAnalysis = "feasibility_analysis"
        case subTasks = "sub_tasks"
        case cachedCalls = "cached_calls"
        case batchCalls = "batch_calls"
        case batchRounds = "batch_rounds"
        case functionsLike = "functions_like"
        case catalogPlan = "catalog_plan"
    }
}
