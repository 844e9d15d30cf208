/// Everything `fcsynth status` shows of a run, read in one round trip.
/// Once `complete`, output + filtered + dead = items.
public struct RunStatus: Codable, Sendable, Hashable {
    public var run: String
    public var state: String
    public var complete: Bool
    public var rowsEnqueued: Int
    /// Bad rows skipped.
    public var rowsRejected: Int
    /// Rows skipped because the run already held their seed chat.
    public var rowsDuplicate: Int
    /// Why the enqueue stopped, when a file error ended it (`state` is then "stopped").
    public var enqueueError: String?
    /// Every item created: rows plus fan-out.
    public var items: Int
    public var output: Int
    public var filtered: Int
    public var dead: Int
    /// Retries waiting for their backoff to pass.
    public var delayed: Int
    public var recovered: Int
    public var stages: [String: StageStatus]
    /// Workers holding a live lease on this run.
    public var workers: Int
    public var promptTokens: Int
    public var completionTokens: Int
    /// The stages' `llmSeconds` together.
    public var llmSeconds: Double
    /// LLM calls a task answered from its replay store (after a crash or a retry) instead of
    /// paying again, and the tokens that saved.
    public var replayedCalls: Int
    public var tokensSaved: Int
    /// Calls answered from the response cache (`--cache`) instead of the endpoint.
    public var cacheHits: Int = 0
    /// The part of the token counts that fcsynth estimated, for answers that reported no usage.
    public var tokensEstimated: Int
    /// Failed LLM calls and other errors, by kind.
    public var errors: [String: Int]
    /// Entries in the output stream now (fewer than `output` once it is trimmed).
    public var streamLength: Int
    /// Fleet-wide failed LLM attempts by kind (retried ones included), and successful calls.
    public var llmFaults: [String: Int]
    /// Repairs made to the replies that were used, by kind (`ReplyRepair`).
    public var repairs: [String: Int]
    /// The judge's scores: per criterion, how many judged items got each score ("1" to "5").
    public var judgeScores: [String: [String: Int]]
    /// The run's `--output-cap` (0: none), and whether the stream holds that many entries now:
    /// then the stages that write to it wait for exporters to acknowledge and trim.
    public var outputCap: Int
    public var atOutputCap: Bool
    /// Each `export --follow` destination and the last stream id it has written safely.
    public var exporters: [String: String]
    /// The run's service tier, prices, spend and budget.
    public var spend: SpendStatus
    /// Redis's memory and its limit; nil where Redis refuses `INFO` (an ACL without it).
    public var redisMemory: RedisMemory? = nil
    /// Items the composition filter's index removed as near-duplicates of earlier ones (part of `filtered`).
    public var nearDuplicates: Int
    /// Attempts whose item a full index (of composition tasks or of function sets) did not
    /// take (`--dedup-capacity`).
    public var nearDuplicateIndexFull: Int
    /// Items whose function set function_gen found near an earlier item's: kept, and named in
    /// the record's lineage (`functions_like`).
    public var nearDuplicateFunctions: Int = 0
    /// Batch mode's side of the run; nil for an online run.
    public var batch: BatchStatus? = nil

    package enum CodingKeys: String, CodingKey {
        case run, state, complete, items, output, filtered, dead, delayed, recovered, stages, workers, errors, repairs
        case exporters, spend, batch
        case rowsEnqueued = "rows_enqueued"
        case rowsRejected = "rows_rejected"
        case rowsDuplicate = "rows_duplicate"
        case enqueueError = "enqueue_error"
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case llmSeconds = "llm_seconds"
        case replayedCalls = "replayed_calls"
        case tokensSaved = "tokens_saved"
        case cacheHits = "cache_hits"
        case tokensEstimated = "tokens_estimated"
        case streamLength = "stream_length"
        case llmFaults = "llm_faults"
        case judgeScores = "judge_scores"
        case outputCap = "output_cap"
        case atOutputCap = "at_output_cap"
        case redisMemory = "redis_memory"
        case nearDuplicates = "near_duplicates"
        case nearDuplicateIndexFull = "near_duplicate_index_full"
        case nearDuplicateFunctions = "near_duplicate_functions"
    }
}
