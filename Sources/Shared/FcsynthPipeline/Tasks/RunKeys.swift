import FcsynthCore

/// Every Redis key fcsynth uses, and the only place their names are spelled: scripts get
/// theirs in KEYS (see `PipelineScript`). A run's keys carry its id in braces, so that they
/// share one Redis Cluster slot and one script can touch them all. docs/redis-keys.md lists
/// them, and a test holds it to `patterns(namespace:)`.
public struct RunKeys: Sendable, Hashable {
    public let namespace: String
    public let run: String

    public init(namespace: String = "fcsynth", run: String) {
        self.namespace = namespace
        self.run = run
    }

    /// `fcsynth:{RUN}:`, which every key of the run starts with.
    public var prefix: String { "\(namespace):{\(run)}:" }

    public func queue(_ stage: StageName) -> String { queue(named: stage.rawValue) }
    public var delayed: String { prefix + "delayed" }
    public func inflight(worker: String) -> String { prefix + "inflight:" + worker }
    public var workers: String { prefix + "workers" }
    /// Exists for a sweep interval after a sweep: one sweep per run per interval.
    public var sweep: String { prefix + "sweep" }
    public var output: String { prefix + "out" }
    /// Export destination → the last stream id it wrote safely; the stream is trimmed below the lowest.
    public var exporters: String { prefix + "exporters" }
    public var filtered: String { prefix + "filtered" }
    public var dead: String { prefix + "dead" }
    public var counters: String { prefix + "counters" }
    /// One of the run's seed-fingerprint hashes, by the fingerprint's top 16 bits in hex.
    public func seen(bucket: String) -> String { prefix + "seen:" + bucket }
    public var settings: String { prefix + "settings" }
    public var meta: String { prefix + "meta" }
    public var rateLimit: String { prefix + "ratelimit" }
    /// The LLM answers one task received, kept until the task moves on (`ReplayStore`).
    public func replay(tid: String) -> String { prefix + "replay:" + tid }
    /// The tids whose replay hashes may hold answers: a claim reads a task's hash only if its
    /// tid is here, so that a first attempt costs no round trip for it.
    public var answered: String { prefix + "answered" }
    /// The near-duplicate index's bands: `BAND:HASH` → the first item that filled it.
    public var nearDuplicateBands: String { prefix + "lsh" }
    /// The near-duplicate index's signatures: item id → its composition task's stored MinHash
    /// signature, then its scenario's.
    public var nearDuplicateSignatures: String { prefix + "minhash" }
    /// The function-set index's bands, as `nearDuplicateBands` for the sets function_gen designs.
    public var nearDuplicateFunctionBands: String { prefix + "lsh:functions" }
    /// The function-set index's signatures: item id → its function set's stored MinHash signature.
    public var nearDuplicateFunctionSignatures: String { prefix + "minhash:functions" }

    /// Function name → definition: the functions the run's items designed, for others to be shown.
    public var distractors: String { prefix + "distractors" }
    /// The names in the pool whose functions act on one kind of thing (`FunctionDomain.of()`).
    public func distractors(domain: String) -> String { prefix + "distractors:" + domain }

    /// Batch mode: tid → the task that waits for its answer from a batch, holding no slot or lease.
    public var parked: String { prefix + "parked" }
    /// Batch mode: the requests waiting for the next batch, scored by when they began to wait.
    public var batchPending: String { prefix + "pending" }
    /// Batch mode: batch id → the batch's record (`BatchRecord`), from its draft until it is settled.
    public var batches: String { prefix + "batches" }
    /// Batch mode: request id → request, for the requests one batch holds.
    public func batched(batch: String) -> String { prefix + "batched:" + batch }
    /// Batch mode: the token of the worker that submits and polls the run's batches, expiring.
    public var batchLeader: String { prefix + "batch_leader" }

    private func queue(named stage: String) -> String { prefix + "q:" + stage }

    /// The set of run ids workers serve.
    public static func runs(namespace: String) -> String { "\(namespace):runs" }
    /// Live workers' descriptions, by worker id.
    public static func workerRegistry(namespace: String) -> String { "\(namespace):workers" }

    /// Fleet-wide LLM call and fault counts, by kind: the client retries inside a task, so
    /// these are counted per worker process, not per run.
    public static func fleetStats(namespace: String) -> String { "\(namespace):stats" }

    /// Exists while the fleet holds new LLM calls after a 429; its time to live is the pause.
    public static func llmPause(namespace: String) -> String { "\(namespace):llm_pause" }

    /// The response cache (`--cache`), shared by every run of the namespace: request key →
    /// stored answer. Its keys carry `@cache` in braces, which no run name can be, so that they
    /// share one Cluster slot and no run's purge touches them.
    public static func cacheEntries(namespace: String) -> String { "\(namespace):{@cache}:entries" }
    /// Request key → when its answer expires (ms since 1970, Redis's clock).
    public static func cacheExpiry(namespace: String) -> String { "\(namespace):{@cache}:expiry" }
    /// The bytes of the answers in `cacheEntries`, for the size cap.
    public static func cacheBytes(namespace: String) -> String { "\(namespace):{@cache}:bytes" }
    /// The fleet's concurrency window (`FleetPace`): `window`, `credit`, `hold_until`.
    public static func pace(namespace: String) -> String { "\(namespace):pace" }
    /// Worker → until when (Redis's clock) it counts among those sharing the window.
    public static func paceWorkers(namespace: String) -> String { "\(namespace):pace_workers" }

    /// Every key above, with RUN, STAGE, WORKER and XXXX for the parts that vary, as
    /// docs/redis-keys.md writes them.
    package static func patterns(namespace: String = "fcsynth") -> [String] {
        let keys = RunKeys(namespace: namespace, run: "RUN")
        return [
            runs(namespace: namespace), workerRegistry(namespace: namespace), fleetStats(namespace: namespace),
            llmPause(namespace: namespace), cacheEntries(namespace: namespace), cacheExpiry(namespace: namespace),
            cacheBytes(namespace: namespace), pace(namespace: namespace), paceWorkers(namespace: namespace),
            keys.queue(named: "STAGE"), keys.delayed, keys.inflight(worker: "WORKER"), keys.workers, keys.sweep,
            keys.output, keys.exporters,
            keys.filtered, keys.dead, keys.counters, keys.seen(bucket: "XXXX"), keys.settings, keys.meta,
            keys.rateLimit, keys.replay(tid: "TID"), keys.answered, keys.distractors,
            keys.distractors(domain: "DOMAIN"),
            keys.nearDuplicateBands, keys.nearDuplicateSignatures, keys.nearDuplicateFunctionBands,
            keys.nearDuplicateFunctionSignatures, keys.parked, keys.batchPending, keys.batches,
            keys.batched(batch: "BATCH"), keys.batchLeader,
        ]
    }

    /// Run ids go into key names and task envelopes unescaped, so they are kept plain.
    public static func validate(run: String) throws(PipelineError) {
        let allowed = run.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x5F || byte == 0x2E
        }
        guard !run.isEmpty, run.utf8.count <= 64, allowed else {
            throw .invalidRunName(run)
        }
    }
}
