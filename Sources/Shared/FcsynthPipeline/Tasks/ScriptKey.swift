import FcsynthCore

/// A key a pipeline script takes in KEYS, named by the role it plays; `RunKeys` spells it.
package enum ScriptKey: Sendable, Hashable {
    case settings, meta, delayed, workers, sweep, output, exporters, filtered, dead, counters, rateLimit, llmPause
    case nearDuplicateBands, nearDuplicateSignatures
    case queue(StageName)
    /// A worker's in-flight hash: as a fixed key the calling worker's, repeated each named worker's.
    case inflight
    /// One of the run's seed-fingerprint hashes, repeated once per bucket a batch touches.
    case seen
    /// A task's replay hash, repeated once per task a hand-off carries.
    case replay

    /// How docs and script headers write the part a key takes: `fcsynth:{RUN}:seen:XXXX`.
    package var partPlaceholder: String {
        switch self {
        case .seen: "XXXX"
        case .replay: "TID"
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
        case .nearDuplicateBands: keys.nearDuplicateBands
        case .nearDuplicateSignatures: keys.nearDuplicateSignatures
        case .queue(let stage): keys.queue(stage)
        case .inflight: keys.inflight(worker: part)
        case .seen: keys.seen(bucket: part)
        case .replay: keys.replay(tid: part)
        }
    }
}
