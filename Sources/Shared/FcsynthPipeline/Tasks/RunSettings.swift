import FcsynthCore

/// Everything a run's workers must agree on, stored in Redis by enqueue: the synthesis
/// options and the queue's own policies. Never holds a secret.
public struct RunSettings: Codable, Sendable, Hashable {
    public var pipeline: PipelineSettings
    /// Attempts per task for failures that may pass (LLM errors, a stage's retry), before dead.
    public var maxAttempts: Int = 5
    /// Workers that may die holding a task before it counts as poison and goes to dead.
    public var maxRecoveries: Int = 3
    /// First retry delay; doubles per attempt, with jitter.
    public var retryBaseDelay: Double = 2
    public var retryMaxDelay: Double = 120
    /// While the output stream holds this many entries (0: no cap), the stages that write it
    /// are not claimed from: they wait for `export --follow` to acknowledge entries, which trims them.
    public var outputCap: Int = 0
    /// Enqueue waits while the first stage's queue holds more tasks than this.
    public var highWaterMark: Int = 200_000
    /// Fleet-wide LLM limits for the run, all workers together (0: none).
    public var requestsPerMinute: Int = 0
    public var tokensPerMinute: Int = 0
    /// Whether each task keeps the LLM answers it received until it moves on, so that an
    /// attempt after a crash or a retry replays them instead of paying again.
    public var replay: Bool = true
    /// Sent with every LLM call as `service_tier`; nil: none, the endpoint's default.
    public var serviceTier: ServiceTier?
    /// The endpoint's prices per million tokens at the run's tier, so that every worker charges
    /// its calls to the run's spend in the same hand-off that counts their tokens, and the
    /// budget can hold the run inside Redis. Nil: the run's spend is not known, only its tokens.
    public var prices: RunEstimate.Prices?
    /// The run-wide response cache (`--cache`); nil: off, and the cache is never read.
    public var cache: ResponseCacheSettings?
    /// The near-duplicate filter at the composition filter's door; nil: none (`--no-dedup`,
    /// and runs made before it existed).
    public var nearDuplicates: NearDuplicatePolicy? = NearDuplicatePolicy()
    /// Batch mode (`--llm-mode batch`): calls go through the provider's Batch API; nil: online.
    public var batch: BatchSettings?

    public init(pipeline: PipelineSettings = PipelineSettings()) {
        self.pipeline = pipeline
    }

    package enum CodingKeys: String, CodingKey {
        case pipeline
        case maxAttempts = "max_attempts"
        case maxRecoveries = "max_recoveries"
        case retryBaseDelay = "retry_base_delay"
        case retryMaxDelay = "retry_max_delay"
        case outputCap = "output_cap"
        case highWaterMark = "high_water_mark"
        case requestsPerMinute = "requests_per_minute"
        case tokensPerMinute = "tokens_per_minute"
        case replay, cache, batch
        case serviceTier = "service_tier"
        case prices
        case nearDuplicates = "near_duplicates"
    }
}
