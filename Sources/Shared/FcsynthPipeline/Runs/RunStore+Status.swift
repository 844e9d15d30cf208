import FcsynthCore
import FcsynthRedis
import FcsynthStages
import Foundation

extension RunStore {
    /// The run's counters, queue depths and live workers, in one round trip. A live worker's
    /// lease has not passed by Redis's clock, read in the same round trip.
    public func status() async throws -> RunStatus {
        let stages = StageName.allCases
        var commands = [
            RedisCommand("HGETALL", keys.counters),
            RedisCommand("HGET", keys.meta, "state"),
            RedisCommand("ZCARD", keys.delayed),
            RedisCommand("ZRANGEBYSCORE", keys.workers, "-inf", "+inf", "WITHSCORES"),
            RedisCommand("XLEN", keys.output),
            RedisCommand("HGETALL", RunKeys.fleetStats(namespace: keys.namespace)),
            RedisCommand("GET", keys.settings),
            RedisCommand("HGETALL", keys.exporters),
            RedisCommand("HGET", keys.meta, "enqueue_error"),
            RedisCommand("TIME"),
        ]
        commands += stages.map { RedisCommand("LLEN", keys.queue($0)) }
        commands.append(RedisCommand("HMGET", keys.meta, "budget_nano_usd", "budget_tokens"))
        let batchReplies = commands.count
        commands += [
            RedisCommand("HLEN", keys.parked), RedisCommand("ZCARD", keys.batchPending),
            RedisCommand("HGETALL", keys.batches), RedisCommand("GET", keys.batchLeader),
        ]
        // Last, and allowed to fail: an ACL may deny INFO, and status goes without it.
        commands.append(RedisCommand("INFO", "memory"))
        let replies = try await redis.execute(commands)
        for reply in replies.dropLast() { _ = try reply.orThrow() }
        guard let state = replies[1].string else { throw PipelineError.unknownRun(run) }

        let counters = replies[0].fieldValues.mapValues { Int($0.string ?? "") ?? 0 }
        func count(_ field: String) -> Int { counters[field] ?? 0 }
        var stageStatus: [String: StageStatus] = [:]
        for (index, stage) in stages.enumerated() {
            let name = stage.rawValue
            stageStatus[name] = StageStatus(
                queued: Int(replies[10 + index].integer ?? 0), inFlight: max(0, count("inflight:\(name)")),
                done: count("done:\(name)"), failed: count("failed:\(name)"), retried: count("retried:\(name)"),
                filtered: count("filtered:\(name)"), llmCalls: count("llm_calls:\(name)"),
                promptTokens: count("tokens_prompt:\(name)"), completionTokens: count("tokens_completion:\(name)"),
                llmSeconds: Double(count("llm_ms:\(name)")) / 1000, replayedCalls: count("replayed_calls:\(name)"),
                tokensSaved: count("tokens_saved:\(name)"), cacheHits: count("cache_hits:\(name)"))
        }
        let delayed = Int(replies[2].integer ?? 0)
        let parked = Int(replies[batchReplies].integer ?? 0)
        let pending = stageStatus.values.reduce(0) { $0 + $1.queued + $1.inFlight } + delayed + parked
        func byKind(_ prefix: String) -> [String: Int] {
            var kinds: [String: Int] = [:]
            for (field, value) in counters where field.hasPrefix(prefix) {
                kinds[String(field.dropFirst(prefix.count))] = value
            }
            return kinds
        }
        var judgeScores: [String: [String: Int]] = [:]
        for (field, value) in byKind(ConversationJudge.counterPrefix) {
            guard let colon = field.lastIndex(of: ":") else { continue }
            judgeScores[String(field[..<colon]), default: [:]][String(field[field.index(after: colon)...])] = value
        }
        guard let now = replies[9].timeMilliseconds else {
            throw RedisError.unexpectedReply("TIME returned \(replies[9])")
        }
        let live = replies[3].fieldValues.values.filter { ($0.string.flatMap(Double.init) ?? 0) >= Double(now) }
        let settings = replies[6].data.flatMap { try? JSONCoding.decode(RunSettings.self, from: $0) }
        let outputCap = settings?.outputCap ?? 0
        let budgetFields = replies[10 + stages.count].array?.map(\.string) ?? []
        let streamLength = Int(replies[4].integer ?? 0)
        var status = RunStatus(
            run: run, state: state, complete: state == RunState.enqueued.rawValue && pending == 0,
            rowsEnqueued: count("rows_enqueued"), rowsRejected: count("rows_rejected"),
            rowsDuplicate: count("rows_duplicate"), enqueueError: replies[8].string, items: count("items"),
            output: count("output"), filtered: count("filtered"), dead: count("dead"), delayed: delayed,
            recovered: count("recovered"), stages: stageStatus, workers: live.count,
            promptTokens: stageStatus.values.reduce(0) { $0 + $1.promptTokens },
            completionTokens: stageStatus.values.reduce(0) { $0 + $1.completionTokens },
            llmSeconds: Double(stages.reduce(0) { $0 + count("llm_ms:\($1.rawValue)") }) / 1000,
            replayedCalls: stageStatus.values.reduce(0) { $0 + $1.replayedCalls },
            tokensSaved: stageStatus.values.reduce(0) { $0 + $1.tokensSaved },
            cacheHits: stageStatus.values.reduce(0) { $0 + $1.cacheHits },
            tokensEstimated: byKind("tokens_estimated:").values.reduce(0, +),
            errors: byKind("errors:"), streamLength: streamLength,
            llmFaults: replies[5].fieldValues.mapValues { Int($0.string ?? "") ?? 0 }, repairs: byKind("repairs:"),
            judgeScores: judgeScores, outputCap: outputCap, atOutputCap: outputCap > 0 && streamLength >= outputCap,
            exporters: replies[7].fieldValues.compactMapValues(\.string),
            spend: Self.spend(
                settings: settings, counters: counters,
                budget: Self.budget(
                    nanoDollars: budgetFields.first ?? nil, tokens: budgetFields.count > 1 ? budgetFields[1] : nil)),
            redisMemory: replies.last?.string.flatMap(RedisMemory.init(info:)),
            nearDuplicates: count("near_duplicates"),
            nearDuplicateIndexFull: count("near_duplicate_index_full"),
            nearDuplicateFunctions: count("near_duplicate_functions"))
        if let batch = settings?.batch {
            let records = replies[batchReplies + 2].fieldValues.values.compactMap {
                $0.data.flatMap { try? JSONCoding.decode(BatchRecord.self, from: $0) }
            }
            let cost = settings?.prices.map { _ in Double(count("batch_nano_usd")) / 1e9 }
            status.batch = BatchStatus(
                openBatches: records.count, inBatches: records.reduce(0) { $0 + $1.requests },
                pending: Int(replies[batchReplies + 1].integer ?? 0), parked: parked,
                answered: count("batch_answered"), retried: count("batch_retried"), failed: count("batch_failed"),
                rounds: count("batch_rounds"), calls: byKind("batch_calls:").values.reduce(0, +),
                tokens: count("batch_tokens"), cost: cost,
                onlineCost: cost.map { batch.priceFactor > 0 ? $0 / batch.priceFactor : 0 },
                leader: replies[batchReplies + 3].string)
        }
        return status
    }
}
