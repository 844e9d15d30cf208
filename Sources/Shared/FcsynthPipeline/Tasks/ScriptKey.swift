import FcsynthCore

/// A key a pipeline script takes in KEYS, named by the role it plays; `RunKeys` spells it.
package enum ScriptKey: Sendable, Hashable {
    case settings, meta, delayed, workers, sweep, output, exporters, filtered, dead, counters, rateLimit, llmPause,
        pace, paceWorkers
    case nearDuplicateBands, nearDuplicateSignatures, nearDuplicateFunctionBands, nearDuplicateFunctionSignatures
    /// The response cache's keys: the namespace's, in no run's slot.
    case cacheEntries, cacheExpiry, cacheBytes
    case queue(StageName)
    /// A worker's in-flight hash: as a fixed key the calling worker's, repeated each named worker's.
    case inflight
    /// One of the run's seed-fingerprint hashes, repeated once per bucket a batch touches.
    case seen
    /// A task's replay hash, repeated once per task a hand-off carries.
    case replay
    /// The tids whose replay hashes may hold answers.
    case answered
    /// The run's distractor pool, and one domain's set of names in it, repeated once per function added.
    case distractors, distractorDomain
    /// Batch mode's keys; `batched` is one batch's, its part the batch id.
    case parked, batchPending, batches, batchLeader, batched

    /// How docs and script headers write the part a key takes: `fcsynth:{RUN}:seen:XXXX`.
    package var partPlaceholder: String {
        switch self {
        case .seen: "XXXX"
        case .replay: "TID"
        case .distractorDomain: "DOMAIN"
        case .batched: "BATCH"
        default: "WORKER"
        }
    }

    /// The key for one run; `part` is the worker id or the bucket, for the keys that take one.
    package func key(in keys: RunKeys, part: String) -> String {
        switch self {
        case .settings: keys.settings
        case .meta: keys.meta
        case .delayed: keys.delayed
        case .workers: keys.workers
        case .sweep: keys.sweep
        case .output: keys.output
        case .exporters: keys.exporters
        case .filtered: keys.filtered
        case .dead: keys.dead
        case .counters: keys.counters
        case .rateLimit: keys.rateLimit
        case .llmPause: RunKeys.llmPause(namespace: keys.namespace)
        case .cacheEntries: RunKeys.cacheEntries(namespace: keys.namespace)
        case .cacheExpiry: RunKeys.cacheExpiry(namespace: keys.namespace)
        case .cacheBytes: RunKeys.cacheBytes(namespace: keys.namespace)
        case .pace: RunKeys.pace(namespace: keys.namespace)
        case .paceWorkers: RunKeys.paceWorkers(namespace: keys.namespace)
        case .nearDuplicateBands: keys.nearDuplicateBands
        case .nearDuplicateSignatures: keys.nearDuplicateSignatures
        case .nearDuplicateFunctionBands: keys.nearDuplicateFunctionBands
        case .nearDuplicateFunctionSignatures: keys.nearDuplicateFunctionSignatures
        case .queue(let stage): keys.queue(stage)
        case .inflight: keys.inflight(worker: part)
        case .seen: keys.seen(bucket: part)
        case .replay: keys.replay(tid: part)
        case .answered: keys.answered
        case .distractors: keys.distractors
        case .distractorDomain: keys.distractors(domain: part)
        case .parked: keys.parked
        case .batchPending: keys.batchPending
        case .batches: keys.batches
        case .batchLeader: keys.batchLeader
        case .batched: keys.batched(batch: part)
        }
    }
}
