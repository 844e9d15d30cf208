import FcsynthCore
import FcsynthRedis

/// The Lua scripts the pipeline runs, compiled into the binary from `Scripts/*.lua`, each
/// after the preludes (the envelope reader, Redis's clock), and the keys each takes.
package enum PipelineScripts {
    /// Later stages first, so that items finish before new ones start. The stages that write
    /// the output stream wait while it holds the run's cap (`outputStages`).
    package static let claim = assemble(
        "claim_tasks", PackageResources.claim_tasks_lua,
        keys: [.meta, .delayed, .dead, .counters, .workers, .inflight, .output, .answered]
            + queues(StageName.allCases.reversed()))
    /// The repeated keys are the replay hashes of the tasks handed off, one per task in order.
    package static let complete = assemble(
        "complete_tasks", PackageResources.complete_tasks_lua,
        keys: [.meta, .counters, .inflight, .delayed, .output, .filtered, .dead, .parked, .batchPending, .answered]
            + queues(),
        repeatedKey: .replay)
    /// A heartbeat: runs in one round trip with the worker's other periodic writes.
    package static let renewLease = assemble(
        "renew_lease", PackageResources.renew_lease_lua, keys: [.workers])
    /// Recovery's first step: the candidates whose in-flight hashes `recover` is then given.
    package static let expiredWorkers = assemble(
        "expired_workers", PackageResources.expired_workers_lua, keys: [.workers])
    /// The repeated keys are the in-flight hashes of the workers whose leases looked expired.
    package static let recover = assemble(
        "recover_tasks", PackageResources.recover_tasks_lua,
        keys: [.counters, .dead, .workers, .sweep] + queues(), repeatedKey: .inflight)
    package static let release = assemble(
        "release_tasks", PackageResources.release_tasks_lua,
        keys: [.meta, .counters, .dead, .workers, .inflight] + queues())
    package static let requeueDead = assemble(
        "requeue_dead", PackageResources.requeue_dead_lua, keys: [.counters, .dead] + queues())
    package static let acquireBudget = assemble(
        "acquire_llm_budget", PackageResources.acquire_llm_budget_lua, keys: [.rateLimit, .llmPause])
    /// The fleet's concurrency window; its keys are the namespace's, whatever run is named.
    package static let adjustPace = assemble(
        "adjust_pace", PackageResources.adjust_pace_lua, keys: [.pace, .paceWorkers])
    /// The repeated keys are the fingerprint buckets the batch's rows fall in.
    package static let enqueueRows = assemble(
        "enqueue_rows", PackageResources.enqueue_rows_lua,
        keys: [.queue(.scenarioExtract), .counters, .meta], repeatedKey: .seen)
    package static let bindInput = assemble(
        "bind_input", PackageResources.bind_input_lua, keys: [.settings, .meta])
    package static let endEnqueue = assemble(
        "end_enqueue", PackageResources.end_enqueue_lua, keys: [.meta])

    /// Enqueue's first budget and `fcsynth budget`'s changes; claim_tasks.lua reads it.
    package static let setBudget = assemble("set_budget", PackageResources.set_budget_lua, keys: [.meta])
    /// The repeated key is the replay hash of the one task whose answer it stores.
    package static let saveReply = assemble(
        "save_reply", PackageResources.save_reply_lua, keys: [.meta, .answered], repeatedKey: .replay)
    /// Outside every run's keys: the cache is shared by the namespace's runs.
    package static let cacheStore = assemble(
        "cache_store", PackageResources.cache_store_lua, keys: [.cacheEntries, .cacheExpiry, .cacheBytes])

    package static let acknowledgeExport = assemble(
        "acknowledge_export", PackageResources.acknowledge_export_lua, keys: [.exporters, .output])

    /// The repeated keys are the domain sets of the functions added, one per function in order.
    package static let addDistractors = assemble(
        "add_distractors", PackageResources.add_distractors_lua, keys: [.distractors],
        repeatedKey: .distractorDomain)

    /// One call per item reaching the composition filter (`NearDuplicateIndex`).
    package static let nearDuplicate = assemble(
        "near_duplicate", PackageResources.near_duplicate_lua, keys: [.nearDuplicateBands, .nearDuplicateSignatures])
    /// One call per item that function_gen hands on (`NearDuplicateIndex.checkFunctions`).
    package static let nearDuplicateFunctions = assemble(
        "near_duplicate_functions", PackageResources.near_duplicate_functions_lua,
        keys: [.nearDuplicateFunctionBands, .nearDuplicateFunctionSignatures])

    /// Batch mode (`BatchStore`): the leader's lease, a round's draft, its provider batch, its answers.
    package static let leadBatches = assemble(
        "lead_batches", PackageResources.lead_batches_lua, keys: [.meta, .batchLeader])
    package static let draftBatch = assemble(
        "draft_batch", PackageResources.draft_batch_lua, keys: [.batchLeader, .batchPending, .batches, .batched])
    package static let recordBatch = assemble(
        "record_batch", PackageResources.record_batch_lua, keys: [.batches])
    /// The repeated keys are the replay hashes of the lines' tasks, one per line in order.
    package static let settleBatch = assemble(
        "settle_batch", PackageResources.settle_batch_lua,
        keys: [.meta, .counters, .parked, .batchPending, .batches, .dead, .batched, .answered] + queues(),
        repeatedKey: .replay)

    package static let all = [
        claim, complete, renewLease, expiredWorkers, recover, release, requeueDead, acquireBudget, adjustPace,
        enqueueRows,
        bindInput, endEnqueue,
        acknowledgeExport, setBudget, cacheStore, saveReply, addDistractors, nearDuplicate,
        nearDuplicateFunctions, leadBatches, draftBatch, recordBatch, settleBatch,
    ]

    /// Loads every script, so that one Redis rejects stops a process as it starts, naming the
    /// script and Redis's message, rather than failing mid-run at the script's first use; and
    /// likewise a command the user's ACL denies on the namespace's keys.
    package static func load(into redis: RedisClient, namespace: String = "fcsynth") async throws(RedisError) {
        // Both steps are idempotent: a Redis restart while a process starts must not stop it.
        try await redis.repeatingAfterLostConnection { () async throws(RedisError) in
            try await redis.load(all.map(\.script) + [commandCheck])
            try await checkPermissions(on: redis, namespace: namespace)
        }
    }

    /// The stages whose tasks may add to the output stream, held back at the output cap.
    package static let outputStages: [StageName] = [.conversation, .judge]

    private static func queues(_ stages: [StageName] = StageName.allCases) -> [ScriptKey] {
        stages.map(ScriptKey.queue)
    }

    /// The files put before every script: Redis's Lua has no `require`.
    package static let preludes =
        PackageResources.envelope_lua + PackageResources.clock_lua + PackageResources.memory_lua
        + PackageResources.lsh_lua

    /// Each script comes after the preludes, by concatenation.
    private static func assemble(
        _ name: String, _ body: [UInt8], keys: [ScriptKey], repeatedKey: ScriptKey? = nil
    ) -> PipelineScript {
        PipelineScript(
            script: RedisScript(name: name, source: preludes + body), keys: keys,
            repeatedKey: repeatedKey)
    }
}
