/// How a record was made: which backend and models answered, which fcsynth and which
/// prompts asked. Simulated records say so here, whatever else they look like.
public struct Provenance: Codable, Sendable, Hashable {
    public var backend: BackendIdentity.Kind
    /// `host[:port]` of the endpoint; nil for the simulated LLM.
    public var endpoint: String?
    /// `host[:port]` of the judge's own endpoint, when it is not `endpoint`.
    public var judgeEndpoint: String?
    /// The model that answered each kind of call, as the endpoint reported it (the configured
    /// name where it reported none), by call name: a stage, or `conv_user`, `conv_assistant`, `conv_tool`.
    public var models: [String: String]
    public var fcsynthVersion: String
    /// A hash of every stage's prompt templates: records with the same value were asked alike.
    public var promptVersion: String
    /// Answers that came from the response cache (`--cache`), by stage: answers of the named
    /// models all the same, but received by an earlier run for an identical request, not asked
    /// for this record. Nil: every answer was asked for this record.
    public var cachedCalls: [String: Int]?
    /// Answers that came through the provider's Batch API (`--llm-mode batch`), by stage: the
    /// same model, asked in a batch at the batch price. Nil: every answer was asked online.
    public var batchCalls: [String: Int]?
    /// In catalog mode: the catalog the functions came from (its file and form).
    public var catalog: String?
    /// `host[:port]` of the executor that ran the tool calls (`--tool-executor`); nil: the tool
    /// agent wrote every result.
    public var toolExecutor: String?

    public init(
        backend: BackendIdentity.Kind, endpoint: String?, judgeEndpoint: String? = nil, models: [String: String],
        fcsynthVersion: String, promptVersion: String
    ) {
        self.backend = backend
        self.endpoint = endpoint
        self.judgeEndpoint = judgeEndpoint
        self.models = models
        self.fcsynthVersion = fcsynthVersion
        self.promptVersion = promptVersion
    }

    /// Made by the simulated LLM, in process or over HTTP from `fcsynth simulator`.
    public var isSimulated: Bool {
        backend == .simulated || models.values.contains { $0.hasPrefix(BackendIdentity.simulated.model) }
    }

    package enum CodingKeys: String, CodingKey {
        case backend, endpoint, models
        case judgeEndpoint = "judge_endpoint"
        case fcsynthVersion = "fcsynth_version"
        case promptVersion = "prompt_version"
        case cachedCalls = "cached_calls"
        case batchCalls = "batch_calls"
        case catalog
        case toolExecutor = "tool_executor"
    }
}
