import FcsynthCore
import FcsynthRedis
import FcsynthStages
import Foundation

/// Runs one claimed task through its stage and turns the result into the hand-off that
/// records it: next tasks, output, filter, retry or death, and the counters that go with it.
package struct TaskProcessor: Sendable {
    package let stages: [StageName: any Stage]
    package let llm: any LLMBackend
    /// The judge's own endpoint or model, when the worker was given one; else `llm` judges.
    package let judge: (any LLMBackend)?
    package let outage: OutageDetector
    package let backoff: FleetBackoff?
    package let pace: FleetPace?
    /// Where the stages' Redis-side helpers live: the tasks' replay answers, the response
    /// cache, the distractor pool and the near-duplicate indexes. Nil (tests without Redis): no
    /// replay, cache, distractors or index.
    package let redis: RedisClient?
    /// The executor for a run's `tool_executor` URL; nil: this worker executes no tool calls,
    /// and a run that asks for it has its conversation steps retried by other workers.
    package let toolExecutor: ToolExecutorSource?

    package init(
        stages: [StageName: any Stage], llm: any LLMBackend, judge: (any LLMBackend)? = nil, outage: OutageDetector,
        backoff: FleetBackoff?, pace: FleetPace? = nil, redis: RedisClient? = nil,
        toolExecutor: ToolExecutorSource? = nil
    ) {
        self.stages = stages
        self.llm = llm
        self.judge = judge
        self.outage = outage
        self.backoff = backoff
        self.pace = pace
        self.redis = redis
        self.toolExecutor = toolExecutor
    }

    /// The hand-off for the task, or nil when the worker cancelled it while stopping: the task
    /// then goes back to its queue untouched. `mayHoldAnswers` is the claim's word on whether an
    /// earlier attempt stored answers; without it the replay hash is not read.
    package func process(
        _ entry: Data, keys: RunKeys, settings: RunSettings, mayHoldAnswers: Bool = true
    ) async -> Completion? {
        let run = keys.run
        let envelope: TaskEnvelope
        do {
            envelope = try TaskEnvelope.decode(entry)
        } catch {
            return malformed(entry, reason: error.description)
        }
        guard envelope.run == run else {
            return deadCompletion(
                envelope, entry: entry, reason: "task of run \"\(envelope.run)\" found in run \"\(run)\"",
                isGarbage: true)
        }
        guard let stage = stages[envelope.stage] else {
            return deadCompletion(
                envelope, entry: entry, reason: "no operator for stage \(envelope.stage.rawValue) in this worker",
                isGarbage: false)
        }
        let screening = await nearDuplicate(envelope, keys: keys, settings: settings)
        if let repeated = screening.completion { return repeated }
        let backend = envelope.stage == .judge ? judge ?? llm : llm
        let throttled = backoff.map {
            ThrottledLLM(
                base: backend, backoff: $0, keys: keys, requestsPerMinute: settings.requestsPerMinute,
                tokensPerMinute: settings.tokensPerMinute, pace: pace)
        }
        let replay = settings.replay ? redis.map { ReplayStore(redis: $0, keys: keys, tid: envelope.tid) } : nil
        var book = ReplayBook()
        if mayHoldAnswers, let replay {
            if let stored = await replay.load() {
                book = stored
            } else if parksMissingAnswers(envelope, settings: settings) {
                // Parked without the answers a batch already gave, the task would send them again.
                return settle(
                    retryOrDie(
                        envelope, reason: "the task's stored answers could not be read from Redis",
                        errorKind: "replay_store", settings: settings),
                    tally: book.tally, refusedLastAnswer: false, keeping: true, prices: settings.prices,
                    batchPriceFactor: settings.batch?.priceFactor ?? 1)
            }
        }
        let limited = throttled ?? backend
        let tiered: any LLMBackend = settings.serviceTier.map { TieredLLM(base: limited, tier: $0) } ?? limited
        var replaying = ReplayingLLM(base: tiered, book: book, store: replay)
        replaying.parksMissingAnswers = parksMissingAnswers(envelope, settings: settings)
        replaying.cache = settings.cache.flatMap { cache in
            redis.map { ResponseCache(redis: $0, namespace: keys.namespace, settings: cache) }
        }
        let executor = settings.pipeline.toolExecutor.flatMap { toolExecutor?.executor(for: $0) }
        if envelope.stage == .conversation, let url = settings.pipeline.toolExecutor, executor == nil {
            // Never a result written in place of the real one the run asked for.
            return settle(
                retryOrDie(
                    envelope, reason: "the run executes tool calls at \(url), and this worker cannot reach it",
                    errorKind: "tool_executor", settings: settings),
                tally: book.tally, refusedLastAnswer: false, keeping: replay != nil, prices: settings.prices,
                batchPriceFactor: settings.batch?.priceFactor ?? 1)
        }
        let context = StageContext(run: run, settings: settings.pipeline, llm: replaying, toolExecutor: executor)
        // Whether the stage refused the last answer it got: the retry must ask again, not replay it.
        let attempt: (completion: Completion, refusedLastAnswer: Bool)
        do {
            var result = try await stage.process(envelope.item, context: context)
            if envelope.stage == .functionGen {
                result = try await functionSets(result, of: envelope, keys: keys, settings: settings)
            }
            // A catalog's items draw their distractors from the catalog, in the stage.
            if envelope.stage == .functionGen, settings.pipeline.distractors > 0, !settings.pipeline.isCatalogMode,
                let redis
            {
                result = try await Self.withDistractors(
                    result, count: settings.pipeline.distractors, pool: DistractorPool(redis: redis, keys: keys))
            }
            var refused = false
            if case .retry = result.outcome { refused = true }
            // Only answers the stage accepted serve later runs: a refused one would fail them too.
            if !refused, let cache = replaying.cache { await cache.store(book.answersForCache) }
            attempt = (
                try handOff(
                    result, of: envelope, settings: settings, cachedCalls: book.tally.cachedCalls,
                    batchCalls: book.tally.batchCalls),
                refused
            )
        } catch let error as LLMError where error.isEndpointWide && outage.isOutage {
            attempt = (
                pause(envelope, reason: error.description, credentials: error.isCredentialRefusal), false
            )
        } catch let error as LLMError {
            attempt = (
                retryOrDie(envelope, reason: error.description, errorKind: error.kind, settings: settings),
                false
            )
        } catch let error as ToolExecutorError {
            attempt = (
                retryOrDie(envelope, reason: error.description, errorKind: "tool_executor", settings: settings), false
            )
        } catch let parking as BatchParking {
            attempt = (park(envelope, waitingOn: parking), false)
        } catch is CancellationError {
            return nil
        } catch let error as FunctionSetIndexUnreadable {
            attempt = (
                retryOrDie(
                    envelope, reason: "near-duplicate index: \(error.error.description)",
                    errorKind: "near_duplicate_index", settings: settings),
                false
            )
        } catch let error as RedisError {
            attempt = (
                retryOrDie(
                    envelope, reason: "distractor pool: \(error)", errorKind: "distractor_pool", settings: settings),
                false
            )
        } catch {
            attempt = (
                retryOrDie(envelope, reason: "\(error)", errorKind: "stage_error", settings: settings), true
            )
        }
        var completion = attempt.completion
        if screening.unindexed { completion.operations.append(.increment("near_duplicate_index_full", 1)) }
        return settle(
            completion, tally: book.tally, refusedLastAnswer: attempt.refusedLastAnswer, keeping: replay != nil,
            prices: settings.prices, batchPriceFactor: settings.batch?.priceFactor ?? 1)
    }

    /// The items entering the conversation, each given its distractors from the run's pool
    /// before its own functions join it: drawn once here, they travel with the item, so that
    /// every step of the conversation, replayed or recovered, shows the same.
    private static func withDistractors(
        _ result: StageResult, count: Int, pool: DistractorPool
    ) async throws(RedisError) -> StageResult {
        guard case .next(let tasks) = result.outcome else { return result }
        var given: [StageTask] = []
        for task in tasks {
            var task = task
            let needed = (task.item.subTasks ?? []).distinctFunctions
            if task.stage == .conversation {
                task.item.distractors = try await pool.draw(count: count, for: task.item.id, needed: needed)
                try await pool.add(needed)
            }
            given.append(task)
        }
        var result = result
        result.outcome = .next(given)
        return result
    }

    /// Before the composition filter spends a call on it, an item whose composition task repeats
    /// an earlier one's is filtered, naming that item; no completion: it goes on to the stage (and
    /// is in the index now, unless `unindexed`: the index was full). The index cannot be read: the
    /// task is retried like any failed attempt.
    private func nearDuplicate(
        _ envelope: TaskEnvelope, keys: RunKeys, settings: RunSettings
    ) async -> (completion: Completion?, unindexed: Bool) {
        guard envelope.stage == .compositionFilter, let policy = settings.nearDuplicates, let redis,
            let task = envelope.item.compositionTask
        else { return (nil, false) }
        let index = NearDuplicateIndex(redis: redis, keys: keys, policy: policy)
        let verdict: NearDuplicateVerdict
        do {
            verdict = try await index.check(id: envelope.item.id, text: task, scenario: envelope.item.scenario)
        } catch {
            let retry = retryOrDie(
                envelope, reason: "near-duplicate index: \(error.description)", errorKind: "near_duplicate_index",
                settings: settings)
            return (retry, false)
        }
        guard case .duplicate(let original, let similarity, let scenarioSimilarity) = verdict else {
            return (nil, verdict == .unindexed)
        }
        var reason =
            "near-duplicate of item \(original): composition tasks' estimated Jaccard similarity "
            + String(format: "%.2f reaches --dedup-threshold %.2f", similarity, policy.threshold)
        if let scenarioSimilarity { reason += String(format: " (scenarios' %.2f)", scenarioSimilarity) }
        let scenarioNear = scenarioSimilarity.map { policy.exactOnly ? $0 >= 1 : $0 >= policy.threshold }
        do {
            let operations =
                [HandOffOperation.increment("done:\(envelope.stage.rawValue)", 1), .increment("near_duplicates", 1)]
                + (try filtered(envelope, reason: reason, duplicateOf: original, scenarioNear: scenarioNear))
            var completion = Completion(tid: envelope.tid, stage: envelope.stage.rawValue, operations: operations)
            if settings.replay { completion.operations.append(.forgetReplies) }
            return (completion, false)
        } catch {
            return (deadCompletion(envelope, entry: Data(), reason: "\(error)", isGarbage: false), false)
        }
    }

    /// Adds what the attempt's LLM calls cost and saved, and what becomes of its stored answers:
    /// gone once the task moves on; kept, and marked counted, while it stays (a retry, a pause,
    /// a death, which `requeue` may undo).
    private func settle(
        _ completion: Completion, tally: ReplayTally, refusedLastAnswer: Bool, keeping: Bool,
        prices: RunEstimate.Prices?, batchPriceFactor: Double
    ) -> Completion {
        var settled = completion
        let stage = completion.stage
        if tally.uncountedCalls > 0 {
            settled.operations += [
                .increment("llm_calls:\(stage)", tally.uncountedCalls),
                .increment("tokens_prompt:\(stage)", tally.uncountedUsage.promptTokens),
                .increment("tokens_completion:\(stage)", tally.uncountedUsage.completionTokens),
            ]
            settled.operations += Self.charges(
                tally.uncountedUsage, stage: stage, prices: prices, batch: tally.batchUsage,
                batchPriceFactor: batchPriceFactor)
            if tally.uncountedMilliseconds > 0 {
                settled.operations.append(.increment("llm_ms:\(stage)", tally.uncountedMilliseconds))
            }
        }
        if tally.estimatedTokens > 0 {
            settled.operations.append(.increment("tokens_estimated:\(stage)", tally.estimatedTokens))
        }
        if tally.replayedCalls > 0 {
            settled.operations.append(.increment("replayed_calls:\(stage)", tally.replayedCalls))
        }
        if tally.cachedCalls > 0 {
            settled.operations.append(.increment("cache_hits:\(stage)", tally.cachedCalls))
        }
        if tally.batchCalls > 0 {
            settled.operations.append(.increment("batch_calls:\(stage)", tally.batchCalls))
        }
        if tally.replayedCalls > 0 || tally.cachedCalls > 0 {
            settled.operations.append(.increment("tokens_saved:\(stage)", tally.savedUsage.totalTokens))
        }
        guard keeping else { return settled }
        let stays = completion.operations.contains { operation in
            switch operation {
            case .delay, .dead, .park: true
            default: false
            }
        }
        guard stays else {
            settled.operations.append(.forgetReplies)
            return settled
        }
        settled.operations += tally.uncountedFields.map(HandOffOperation.markCounted)
        if refusedLastAnswer, let last = tally.lastField { settled.operations.append(.dropReply(last)) }
        return settled
    }

    /// `cachedCalls` and `batchCalls`: the attempt's answers that came from the response cache
    /// and from batches, which the item's lineage says, by stage.
    private func handOff(
        _ result: StageResult, of envelope: TaskEnvelope, settings: RunSettings, cachedCalls: Int = 0,
        batchCalls: Int = 0
    ) throws -> Completion {
        let stage = envelope.stage.rawValue
        let cached = Self.repairs(envelope.item.cachedCalls, adding: cachedCalls > 0 ? [stage: cachedCalls] : [:])
        let batched = Self.repairs(envelope.item.batchCalls, adding: batchCalls > 0 ? [stage: batchCalls] : [:])
        var operations: [HandOffOperation] = [.increment("done:\(stage)", 1)]
        for (kind, count) in result.repairs.sorted(by: { $0.key < $1.key }) {
            operations.append(.increment("repairs:\(kind)", count))
        }
        for (counter, count) in result.counters.sorted(by: { $0.key < $1.key }) {
            operations.append(.increment(counter, count))
        }
        switch result.outcome {
        case .next(let tasks) where tasks.isEmpty:
            operations.append(contentsOf: try filtered(envelope, reason: "\(stage) produced no tasks"))
        case .next(let tasks):
            if tasks.count > 1 { operations.append(.increment("items", tasks.count - 1)) }
            for task in tasks {
                var item = task.item
                item.usage = (envelope.item.usage ?? TokenUsage()) + result.usage
                item.models = Self.models(envelope.item.models, adding: result.models)
                item.repairs = Self.repairs(envelope.item.repairs, adding: result.repairs)
                item.cachedCalls = cached
                item.batchCalls = batched
                item.batchRounds = envelope.item.batchRounds
                let next = TaskEnvelope(run: envelope.run, stage: task.stage, item: item)
                operations.append(.push(task.stage, try next.encoded()))
            }
        case .output(var record):
            record.usage = (envelope.item.usage ?? TokenUsage()) + result.usage
            record.lineage.provenance = provenance(models: Self.models(envelope.item.models, adding: result.models))
            record.lineage.provenance?.cachedCalls = cached
            record.lineage.provenance?.batchCalls = batched
            record.lineage.provenance?.catalog = settings.pipeline.catalog?.source
            record.lineage.provenance?.toolExecutor = settings.pipeline.toolExecutor.flatMap {
                toolExecutor?.executor(for: $0)?.endpoint
            }
            record.lineage.repairs = Self.repairs(envelope.item.repairs, adding: result.repairs)
            record.lineage.functionsLike = envelope.item.functionsLike
            operations.append(.output(id: record.id, record: try JSONCoding.encode(record)))
            operations.append(.increment("output", 1))
            operations.append(.increment("output_variant:\((record.lineage.variant ?? .standard).rawValue)", 1))
        case .filtered(let reason):
            operations.append(contentsOf: try filtered(envelope, reason: reason))
        case .retry(let reason, let kind):
            operations.removeFirst()
            return Completion(
                tid: envelope.tid, stage: stage,
                operations: operations
                    + retryOrDie(envelope, reason: reason, errorKind: kind, settings: settings).operations)
        }
        return Completion(tid: envelope.tid, stage: stage, operations: operations)
    }

    /// Stated by the worker that hands the record off: it alone knows which backend answered.
    private func provenance(models: [String: String]) -> Provenance {
        let identity = llm.identity
        let judgeEndpoint = judge.map(\.identity).flatMap { $0.endpoint == identity.endpoint ? nil : $0.endpoint }
        return Provenance(
            backend: identity.kind, endpoint: identity.endpoint,
            judgeEndpoint: models[StageName.judge.rawValue] == nil ? nil : judgeEndpoint,
            models: models, fcsynthVersion: FcsynthVersion.current, promptVersion: PromptVersion.current)
    }

    /// Nil when there were none, so that records of clean replies carry no empty field (repairs,
    /// and answers from the response cache, both counts by kind).
    private static func repairs(_ earlier: [String: Int]?, adding step: [String: Int]) -> [String: Int]? {
        let all = (earlier ?? [:]).merging(step, uniquingKeysWith: +)
        return all.isEmpty ? nil : all
    }

    private static func models(_ earlier: [String: String]?, adding step: [String: String]) -> [String: String] {
        (earlier ?? [:]).merging(step) { _, latest in latest }
    }

    private func filtered(
        _ envelope: TaskEnvelope, reason: String, duplicateOf: String? = nil, scenarioNear: Bool? = nil
    ) throws -> [HandOffOperation] {
        let record = RemovedItem(
            id: envelope.item.id, line: envelope.item.line, stage: envelope.stage.rawValue, reason: reason,
            attempts: nil, item: envelope.item, task: nil, duplicateOf: duplicateOf, scenarioNear: scenarioNear)
        return [
            .filter(try JSONCoding.encode(record)), .increment("filtered", 1),
            .increment("filtered:\(envelope.stage.rawValue)", 1),
        ]
    }

    /// A failure that may pass goes back with a backoff delay; past the attempt limit it is dead.
    private func retryOrDie(
        _ envelope: TaskEnvelope, reason: String, errorKind: String?, settings: RunSettings
    ) -> Completion {
        let stage = envelope.stage.rawValue
        var operations: [HandOffOperation] = []
        if let errorKind { operations.append(.increment("errors:\(errorKind)", 1)) }
        var next = envelope
        next.attempt += 1
        if next.attempt >= settings.maxAttempts {
            let entry = (try? next.encoded()) ?? Data()
            let record = RemovedItem(
                id: envelope.item.id, line: envelope.item.line, stage: stage, reason: reason,
                attempts: next.attempt, item: nil, task: String(decoding: entry, as: UTF8.self))
            operations.append(.dead((try? JSONCoding.encode(record)) ?? Data()))
            operations.append(.increment("dead", 1))
            operations.append(.increment("failed:\(stage)", 1))
        } else {
            let exponential = settings.retryBaseDelay * pow(2, Double(next.attempt - 1))
            let delay = min(settings.retryMaxDelay, exponential) * Double.random(in: 0.5...1.0)
            if let entry = try? next.encoded() {
                operations.append(.delay(after: .seconds(delay), entry))
                operations.append(.increment("retried:\(stage)", 1))
            }
        }
        return Completion(tid: envelope.tid, stage: stage, operations: operations)
    }

    /// Batch mode, until the item has waited `--online-after` rounds. A worker with a judge of
    /// its own asks it online: the batches go to the main endpoint.
    private func parksMissingAnswers(_ envelope: TaskEnvelope, settings: RunSettings) -> Bool {
        guard let batch = settings.batch, settings.replay, !(envelope.stage == .judge && judge != nil) else {
            return false
        }
        guard let limit = batch.onlineAfter else { return true }
        return (envelope.item.batchRounds ?? 0) < limit
    }

    /// The task waits, parked, for its request's answer to come from a batch: it keeps its
    /// attempt count, and one more round is counted against `--online-after`.
    private func park(_ envelope: TaskEnvelope, waitingOn parking: BatchParking) -> Completion {
        var waiting = envelope
        waiting.item.batchRounds = (envelope.item.batchRounds ?? 0) + 1
        let request = ParkedRequest(
            tid: envelope.tid, stage: envelope.stage, key: parking.key, request: parking.request)
        guard let entry = try? waiting.encoded(), let member = try? request.member() else {
            return deadCompletion(envelope, entry: Data(), reason: "the task cannot be parked", isGarbage: false)
        }
        return Completion(
            tid: envelope.tid, stage: envelope.stage.rawValue,
            operations: [.park(entry: entry, request: member), .increment("parked:\(envelope.stage.rawValue)", 1)])
    }

    /// During an endpoint outage a failure says nothing about the task: it waits, with its
    /// attempt count untouched.
    private func pause(_ envelope: TaskEnvelope, reason: String, credentials: Bool) -> Completion {
        guard let entry = try? envelope.encoded() else {
            return deadCompletion(envelope, entry: Data(), reason: reason, isGarbage: false)
        }
        return Completion(
            tid: envelope.tid, stage: envelope.stage.rawValue,
            operations: [
                .delay(after: .seconds(Double.random(in: 5...10)), entry),
                .increment(credentials ? "errors:paused_for_credentials" : "errors:paused_for_outage", 1),
            ])
    }

    /// Garbage in a queue (pushed by hand, or a task of another run) was never counted as an
    /// item; it is counted now, so that output + filtered + dead still equals items. A real task
    /// of this run already was.
    private func deadCompletion(_ envelope: TaskEnvelope, entry: Data, reason: String, isGarbage: Bool) -> Completion {
        let stage = envelope.stage.rawValue
        let record = RemovedItem(
            id: envelope.item.id, line: envelope.item.line, stage: stage, reason: reason,
            attempts: envelope.attempt, item: nil, task: String(decoding: entry, as: UTF8.self))
        var operations: [HandOffOperation] = [
            .dead((try? JSONCoding.encode(record)) ?? Data()), .increment("dead", 1), .increment("failed:\(stage)", 1),
        ]
        if isGarbage { operations.append(.increment("items", 1)) }
        return Completion(tid: envelope.tid, stage: stage, operations: operations)
    }

    /// An entry whose item does not decode: garbage, counted as an item like the above. The
    /// claim script vetted the header, so the tid and stage are readable even when the item is not.
    private func malformed(_ entry: Data, reason: String) -> Completion {
        let header = TaskEnvelope.Header.read(entry)
        let tid = header?.tid ?? ""
        let stage = header?.stage ?? "unknown"
        let record = RemovedItem(
            id: nil, line: nil, stage: stage, reason: reason, attempts: nil, item: nil,
            task: String(decoding: entry, as: UTF8.self))
        return Completion(
            tid: tid, stage: stage,
            operations: [
                .dead((try? JSONCoding.encode(record)) ?? Data()), .increment("dead", 1),
                .increment("failed:\(stage)", 1),
                .increment("items", 1),
            ])
    }
}
