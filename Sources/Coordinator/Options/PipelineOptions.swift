import ArgumentParser
import FcsynthCore
import FcsynthPipeline
import FcsynthStages

extension CompositionSetting: ExpressibleByArgument {}

/// The run's synthesis settings, as enqueue stores them for every worker.
struct PipelineOptions: ParsableArguments {
    @Option(
        help:
            "The input rows' field holding the seed chat, or a dotted path to it (data.dialogue): a chat string, or messages or conversations turns. Under the default, rows without chat are read from messages or conversations."
    )
    var inputKey = "chat"

    @Option(help: "New scenarios per extracted scenario (0: expansion off).")
    var expand = 0

    @Option(help: "Atomic tasks per scenario.")
    var atomTasks = 1

    @Option(help: "How atomic tasks are composed; mixed draws per item, with --para-seq-ratio.")
    var composition = CompositionSetting.mixed

    @Option(help: "With mixed composition, the share of items composed parallel-then-sequential.")
    var paraSeqRatio = 0.5

    @Option(help: "Assistant turns before a conversation without a final answer is filtered.")
    var maxRounds = 8

    @Flag(help: "Allow only one tool call per assistant turn.")
    var noParallelCalls = false

    @Flag(
        help:
            "Do not send response_format json_object (for endpoints that reject it); the same as --response-format off."
    )
    var noJsonMode = false

    @Option(
        help:
            "What response_format asks for: json_schema (each call's reply schema, for endpoints that constrain output to it), json_object or off. An endpoint that rejects it with a 400 gets the next one."
    )
    var responseFormat: ResponseFormatOption = .jsonObject

    @Flag(
        help:
            "Run the meaning checks (grounding, coverage, order, final answer, leaks) and record what they find, but keep failing conversations."
    )
    var recordChecksOnly = false

    @Flag(help: "Filter parallel-then-sequential conversations that do not call their independent steps in one turn.")
    var requireParallelCalls = false

    @Flag(
        help:
            "Filter conversations with a number, date or time the rules cannot trace to a source (derived_value); by default it is recorded and left to the judge."
    )
    var strictValues = false

    @Flag(help: "Keep conversations that pass their checks without asking the judge to score them.")
    var noJudge = false

    @Option(
        help:
            "Keep a judged conversation only when each of its four scores (task accomplished, arguments grounded, final answer consistent, user natural) is at least this, from 1 to 5."
    )
    var minJudgeScore = 3

    @Option(
        help:
            "The share of tool calls, from 0 to 1, that the tool agent answers with an error (not found, invalid input) for the assistant to recover from."
    )
    var toolErrorRate = 0.0

    @Option(
        help: ArgumentHelp(
            "Extra functions, other items' designs, shown to the assistant beside the ones each item needs (0: none).",
            discussion:
                "Drawn from a run-wide pool in Redis, same-domain ones first; a call to one fails the item's checks. The first items of a run find the pool still filling, and get fewer."
        ))
    var distractors = 0

    @Option(
        help:
            "The share of items, from 0 to 1, whose last designed function is withheld: the assistant must say that it cannot do that part and do the rest."
    )
    var irrelevanceRatio = 0.0

    @Option(
        help:
            "The share of items, from 0 to 1, whose user leaves out a detail the first call needs: the assistant must ask for it before calling."
    )
    var clarifyRatio = 0.0

    @Option(help: "Sampling temperature.")
    var temperature = 0.7

    @Option(
        help:
            "max_tokens for every LLM call; 0 sends none, leaving the endpoint's default (default: each call's budget, docs/stages.md)."
    )
    var maxTokens: Int?

    @Option(help: "Times an invalid reply is asked for again, with the error told to the model.")
    var maxCorrections = 2

    @Option(help: "Attempts per task for failures that may pass, before the task is dead.")
    var maxAttempts = 5

    @Option(help: "Workers that may die holding a task before it is dead.")
    var maxRecoveries = 3

    @Option(
        help:
            "Hold the conversation and judge stages while the output stream holds this many entries (0: no cap), until export --follow has written and acknowledged them."
    )
    var outputCap = 0

    @Option(help: "Enqueue waits while the first queue holds more tasks than this.")
    var highWaterMark = 200_000

    @Flag(
        help: ArgumentHelp(
            "Keep no LLM answers for replay: a task recovered after a crash, or retried, pays for its calls again.",
            discussion: "For measuring what replay saves; it costs Redis memory only for tasks in flight."))
    var noReplay = false

    @Flag(
        help: ArgumentHelp(
            "Answer calls from the response cache shared by the namespace's runs, and keep this run's answers there.",
            discussion:
                "A call identical to one a run with --cache made before (same model, messages, temperature, max_tokens, reply format and prompt version), in an earlier run or this one, takes that answer instead of asking the endpoint: counted as a cache hit, never as an LLM call, and said in the record's provenance (cached_calls). Off by default: at a temperature above 0, reused answers make identical data where new calls would sample new answers; and each cached call holds its answer's bytes and about 250 more in Redis (docs/performance.md)."
        ))
    var cache = false

    @Option(help: "With --cache: seconds an answer this run stores stays in the cache.")
    var cacheTtl = ResponseCacheSettings.defaultTimeToLive

    @Option(help: "With --cache: bytes of answers the cache keeps at most; this run's stores evict what expires first.")
    var cacheMaxBytes = ResponseCacheSettings.defaultMaxBytes

    @Option(
        help: ArgumentHelp(
            "Filter an item whose composition task's estimated Jaccard similarity (word bigrams, MinHash) to an earlier item's reaches this, from above 0 to 1, naming that item; 1 filters only the same words in the same order.",
            discussion:
                "The index lives in the run's Redis slot, shared by every worker: about 3.4 kB and two script calls per item at the default 0.8 (docs/performance.md)."
        ))
    var dedupThreshold = NearDuplicatePolicy.defaultThreshold

    @Option(
        help:
            "Most items each near-duplicate index (tasks, function sets) holds (about 3.4 kB of Redis an item for both); past it items are still checked against those it holds, but not added."
    )
    var dedupCapacity = NearDuplicatePolicy.defaultCapacity

    @Flag(help: "Filter no near-duplicates (exact repeats of a seed chat are still skipped at enqueue).")
    var noDedup = false

    @Option(help: "Fleet-wide LLM requests per minute for this run, all workers together (0: no limit).")
    var rpm = 0

    @Option(help: "Fleet-wide LLM tokens per minute for this run, all workers together (0: no limit).")
    var tpm = 0

    @Option(
        help:
            "OpenAI's service_tier, sent with every call: flex (slower, cheaper), auto or default; price the run at that tier's rates."
    )
    var serviceTier: ServiceTier?

    @Option(
        help: ArgumentHelp(
            "online (default), or batch: every call goes through the provider's Batch API (POST /v1/files, /v1/batches) at the batch price.",
            discussion:
                "Each round of every item's chain is one batch: a task that needs an answer parks until its batch comes back, holding no slot. Workers elect one leader per run, which submits, polls and settles the batches (docs/operations.md, \"Batch mode\")."
        ))
    var llmMode = LLMModeOption.online

    @Option(help: "With --llm-mode batch: an item's calls go online once it has waited this many batch rounds.")
    var onlineAfter: Int?

    @Option(
        help:
            "With --llm-mode batch: seconds the oldest waiting request waits for others while tasks still run, before its batch goes out anyway."
    )
    var batchWindow = BatchSettings().window

    @Option(help: "With --llm-mode batch: the most requests one batch holds (OpenAI's limit: 50,000).")
    var batchMaxRequests = BatchSettings().maxRequests

    @Option(help: "With --llm-mode batch: the most bytes of requests one batch file holds (OpenAI's limit: 200 MB).")
    var batchMaxBytes = BatchSettings().maxBytes

    @Option(help: "With --llm-mode batch: a batch answer's price against an online one's, for the run's spend.")
    var batchPriceFactor = BatchSettings().priceFactor

    private func batchSettings() throws -> BatchSettings? {
        guard llmMode == .batch else {
            guard onlineAfter == nil else { throw ValidationError("--online-after needs --llm-mode batch") }
            return nil
        }
        guard !noReplay else {
            throw ValidationError("--llm-mode batch needs replay: a batch's answers reach their tasks through it")
        }
        guard batchWindow >= 0, batchMaxRequests >= 1, batchMaxBytes >= 1, batchPriceFactor >= 0,
            (onlineAfter ?? 0) >= 0
        else {
            throw ValidationError(
                "--batch-window, --batch-price-factor and --online-after must be at least 0, --batch-max-requests and --batch-max-bytes at least 1"
            )
        }
        var batch = BatchSettings()
        batch.onlineAfter = onlineAfter
        batch.window = batchWindow
        batch.maxRequests = batchMaxRequests
        batch.maxBytes = batchMaxBytes
        batch.priceFactor = batchPriceFactor
        return batch
    }

    func settings() throws -> RunSettings {
        guard (0...1).contains(paraSeqRatio) else { throw ValidationError("--para-seq-ratio must be between 0 and 1") }
        guard JudgeScore.range.contains(minJudgeScore) else {
            throw ValidationError("--min-judge-score must be from 1 to 5")
        }
        guard (0...1).contains(toolErrorRate) else {
            throw ValidationError("--tool-error-rate must be between 0 and 1")
        }
        guard cacheTtl >= 1, cacheMaxBytes >= 1 else {
            throw ValidationError("--cache-ttl and --cache-max-bytes must be at least 1")
        }
        guard (0...1).contains(irrelevanceRatio), (0...1).contains(clarifyRatio), irrelevanceRatio + clarifyRatio <= 1
        else {
            throw ValidationError(
                "--irrelevance-ratio and --clarify-ratio must be between 0 and 1, and together at most 1")
        }
        guard (0...DistractorPool.maxPerItem).contains(distractors) else {
            throw ValidationError("--distractors must be from 0 to \(DistractorPool.maxPerItem)")
        }
        guard dedupThreshold > 0, dedupThreshold <= 1 else {
            throw ValidationError("--dedup-threshold must be above 0 and at most 1")
        }
        guard dedupCapacity >= 1 else { throw ValidationError("--dedup-capacity must be at least 1") }
        guard expand >= 0, atomTasks >= 1, maxRounds >= 1, maxCorrections >= 0, maxAttempts >= 1, maxRecoveries >= 0
        else {
            throw ValidationError("counts must be positive (--atom-tasks, --max-rounds, --max-attempts at least 1)")
        }
        var pipeline = PipelineSettings()
        pipeline.inputKey = inputKey
        pipeline.scenarioExpansions = expand
        pipeline.atomTasksPerScenario = atomTasks
        pipeline.composition = composition
        pipeline.paraSeqRatio = paraSeqRatio
        pipeline.maxRounds = maxRounds
        pipeline.parallelToolCalls = !noParallelCalls
        pipeline.jsonMode = !noJsonMode && responseFormat != .off
        pipeline.replySchemas = pipeline.jsonMode && responseFormat == .jsonSchema
        pipeline.enforceChecks = !recordChecksOnly
        pipeline.requireParallelCalls = requireParallelCalls
        pipeline.enforceDerivedValues = strictValues
        pipeline.judge = !noJudge
        pipeline.minJudgeScore = minJudgeScore
        pipeline.toolErrorRate = toolErrorRate
        pipeline.distractors = distractors
        pipeline.irrelevanceRatio = irrelevanceRatio
        pipeline.clarifyRatio = clarifyRatio
        pipeline.temperature = temperature
        pipeline.maxTokens = maxTokens
        pipeline.maxCorrections = maxCorrections
        var settings = RunSettings(pipeline: pipeline)
        settings.maxAttempts = maxAttempts
        settings.maxRecoveries = maxRecoveries
        settings.outputCap = outputCap
        settings.highWaterMark = highWaterMark
        settings.replay = !noReplay
        settings.cache = cache ? ResponseCacheSettings(timeToLive: cacheTtl, maxBytes: cacheMaxBytes) : nil
        settings.nearDuplicates =
            noDedup ? nil : NearDuplicatePolicy(threshold: dedupThreshold, capacity: dedupCapacity)
        settings.requestsPerMinute = max(0, rpm)
        settings.tokensPerMinute = max(0, tpm)
        settings.serviceTier = serviceTier
        settings.batch = try batchSettings()
        return settings
    }
}
