import FcsynthCore
import FcsynthRedis
import FcsynthStages
import Foundation
import Logging
import Synchronization

/// A worker: claims tasks of every run it serves, runs them through their stages with many
/// LLM calls in flight, and hands them off in batches. Heartbeats keep its lease; sweeps
/// return the tasks of workers that went silent. `stop()` drains: no new claims, the tasks
/// in hand finish within the grace period, and the rest go back to their queues. At the drain
/// timeout it closes `redis`, so that nothing waits on an unreachable server any longer: what
/// was not written stays in its in-flight hash until its lease expires and a sweep returns it.
public final class PipelineWorker: Sendable {
    public let options: PipelineWorkerOptions
    package let redis: RedisClient
    private let processor: TaskProcessor
    package let logger: Logger
    package let state = Mutex(State())

    package struct State {
        /// When `stop()` was first called.
        package var stopRequested: ContinuousClock.Instant?
        /// `run()` has returned: the drain timeout no longer applies.
        package var finished = false
        package var runs: [String: RunSettings] = [:]
        /// Tasks in hand per run, by tid: what a reconciliation keeps.
        package var held: [String: Set<String>] = [:]
        /// Runs purged while this worker served them: what it still holds of them is dropped.
        package var purged: Set<String> = []
        /// Runs it saw cancelled, watched until they are purged.
        package var cancelled: Set<String> = []
        package var reportedUnreadable: Set<String> = []
        package var lastGeneration = 0
        package var staleHandOffs = 0
    }

    private enum Event: Sendable {
        case finished
        case tick
        /// The tasks a claim took, and how many it asked for.
        case claimed([ClaimedTask], asked: Int)
    }

    /// A task claimed into this worker's in-flight hash, waiting for a slot or in one.
    private struct ClaimedTask: Sendable {
        var queue: TaskQueue
        var settings: RunSettings
        var entry: Data
        var mayHoldAnswers: Bool
    }

    /// Slots free while there is nothing to claim, for hedged calls.
    private let spare: SpareSlots
    package let outage: OutageDetector
    /// Whether Redis is full: claims pause while it is.
    package let redisFull: RedisFullWatch
    package let faults: LLMFaultTally
    public let metrics: WorkerMetrics
    /// Submits and settles batch-mode runs' batches while this worker leads them; nil: the
    /// worker has no Batch API (the in-process simulator), and only parks their tasks.
    package let batches: BatchSubmitter?

    /// `backoff` applies the runs' fleet-wide rate limits and 429 pauses; without it calls go
    /// straight to `llm`. `pace`, with `backoff`, keeps the calls in flight within this worker's
    /// share of the fleet's adaptive concurrency window, and should observe `llm` too. `outage`, `faults`, `metrics` and `backoff` should also observe `llm`'s calls (see `LLMObservers`).
    /// `judge`, when given, answers the judge stage's calls instead of `llm`. `batchEndpoint`
    /// is `llm`'s provider's Batch API, for batch-mode runs. `toolExecutor` runs the tool calls
    /// of catalog runs that name an executor.
    public init(
        redis: RedisClient, llm: any LLMBackend, judge: (any LLMBackend)? = nil, stages: [StageName: any Stage],
        options: PipelineWorkerOptions, batchEndpoint: (any BatchEndpoint)? = nil,
        outage: OutageDetector = OutageDetector(), faults: LLMFaultTally = LLMFaultTally(),
        metrics: WorkerMetrics = WorkerMetrics(), backoff: FleetBackoff? = nil, pace: FleetPace? = nil,
        toolExecutor: ToolExecutorSource? = nil, logger: Logger = Logger(label: "fcsynth.worker")
    ) {
        self.redis = redis
        let spare = SpareSlots()
        self.spare = spare
        func wrapped(_ backend: any LLMBackend) -> any LLMBackend {
            let hedged = options.hedgeAfter.map { HedgedLLM(base: backend, after: $0, spare: spare) } ?? backend
            return options.slotTrace.map { TracedLLM(base: hedged, trace: $0) } ?? hedged
        }
        let llm = wrapped(llm)
        let judge = judge.map(wrapped)
        self.processor = TaskProcessor(
            stages: stages, llm: llm, judge: judge, outage: outage, backoff: backoff, pace: pace, redis: redis,
            toolExecutor: toolExecutor)
        self.options = options
        self.outage = outage
        self.faults = faults
        self.metrics = metrics
        self.logger = logger
        self.redisFull = RedisFullWatch(logger: logger)
        self.batches = batchEndpoint.map {
            BatchSubmitter(endpoint: $0, token: options.id, lease: options.batchLeaderLease, logger: logger)
        }
    }

    /// Asks the worker to drain and return; safe from a signal handler's task.
    public func stop() {
        let first = state.withLock { state -> Bool in
            guard state.stopRequested == nil else { return false }
            state.stopRequested = .now
            return true
        }
        if first { Task { await enforceDrainTimeout() } }
    }

    /// Redis calls wait out an outage for up to a minute each, and a drain makes several; past
    /// the timeout the worker stops waiting and leaves the rest to its lease.
    private func enforceDrainTimeout() async {
        try? await Task.sleep(for: options.drainTimeout)
        guard !state.withLock({ $0.finished }) else { return }
        logger.warning(
            "drain timeout: giving up on Redis; tasks not yet handed off or returned stay leased to this worker and go back to their queues when its lease expires",
            metadata: ["timeout_seconds": "\(options.drainTimeout.components.seconds)"])
        redis.close()
    }

    /// Hand-offs skipped because the task had meanwhile been recovered by another worker.
    public var staleHandOffs: Int { state.withLock { $0.staleHandOffs } }

    /// Serves until `stop()`; returns once drained.
    public func run() async {
        logger.notice(
            "worker started",
            metadata: ["worker": "\(options.id)", "concurrency": "\(options.concurrency)", "redis": "\(redis.url)"])
        state.withLock { $0.lastGeneration = redis.connectionGeneration }
        await refreshRuns()
        let maintenance = Task { await maintain() }
        let batchLoop = Task { await submitBatches() }
        let batcher = HandOffBatcher(logger: logger) { [self] run, count in await handOffsSkipped(count, run: run) }
        await serve(batcher: batcher)
        maintenance.cancel()
        batchLoop.cancel()
        await batchLoop.value
        await releaseEverything()
        await flushFaults()
        let unwritten = faults.drain()
        if !unwritten.isEmpty {
            // Said, not dropped in silence: Redis refused them to the end (it is still full).
            logger.error(
                "fleet stats not written: Redis refused them; they are not in fcsynth:stats",
                metadata: ["counts": "\(unwritten.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })"])
        }
        _ = try? await redis.send("HDEL", RunKeys.workerRegistry(namespace: options.namespace), options.id)
        writeSlotTrace()
        state.withLock { $0.finished = true }
        logger.notice("worker stopped", metadata: ["worker": "\(options.id)"])
    }

    private func serve(batcher: HandOffBatcher) async {
        await withTaskGroup(of: Event.self) { group in
            var running = 0
            // Claimed ahead: a slot that frees takes one of these at once, without a round trip.
            var ready: [ClaimedTask] = []
            var claiming = false
            // After a claim came back empty, the next waits for a tick or a finished task.
            var mayClaim = true
            // The last claim found fewer tasks than it asked for: the run's queues are dry.
            var dry = false
            // A task finished while a claim was out: its hand-off may have queued work that claim
            // missed, so an empty claim is followed by another at once rather than after a poll.
            var finishedDuringClaim = false
            var idleDelay = Duration.milliseconds(1)
            var tickPending = false
            var drainDeadline: ContinuousClock.Instant?
            var nextRun = 0

            while true {
                let stopRequested = state.withLock { $0.stopRequested }
                let stopping = stopRequested != nil
                if let stopRequested, drainDeadline == nil {
                    // From the stop itself, however long this loop took to see it.
                    drainDeadline = stopRequested + options.drainGrace
                    logger.notice(
                        "draining",
                        metadata: [
                            "tasks_in_hand": "\(running)", "grace_seconds": "\(options.drainGrace.components.seconds)",
                            "timeout_seconds": "\(options.drainTimeout.components.seconds)",
                        ])
                    // At once, not after the grace: other workers can start them meanwhile.
                    await giveBack(ready)
                    ready = []
                }
                if stopping && running == 0 { break }
                if stopping && ContinuousClock.now >= drainDeadline! {
                    // Whatever is still unfinished or unwritten goes back through release.
                    await batcher.abandon()
                    break
                }

                // In an outage one task at a time probes the endpoint; the rest wait in Redis.
                let inOutage = outage.isOutage
                let limit = inOutage ? 1 : options.concurrency
                // Hedged calls hold slots too, until they end.
                let hedges = spare.hedges
                while !stopping && running + hedges < limit && !ready.isEmpty {
                    let task = ready.removeFirst()
                    // Claimed before its run was purged: there is nothing left to write it to.
                    guard !isPurged(task.queue.keys.run) else { continue }
                    running += 1
                    start(task, in: &group, batcher: batcher)
                }
                // Claims keep the slots full and `claimAhead` tasks more in hand. Near saturation a
                // claim waits until it can take a few (half the tasks held ahead, or 1/64 of the
                // slots), so that a busy worker makes one round trip per few tasks rather than one
                // per task, while the other half still starts freed slots at once.
                let ahead = inOutage ? 0 : options.claimAhead
                let wanted = limit - running - hedges + ahead - ready.count
                // No hedges while stopping, nor in an outage, where one probe at a time is the point.
                spare.update(free: stopping ? 0 : limit - running, idle: dry && ready.isEmpty && !inOutage)
                let batch = max(1, limit / 64, ahead / 2)
                let claimable = wanted > 0 && (running + ready.count == 0 || wanted >= batch)
                if !stopping && !claiming && mayClaim && claimable {
                    claiming = true
                    let count = min(options.maxClaim, wanted)
                    let first = nextRun
                    nextRun += 1
                    group.addTask { .claimed(await self.claim(upTo: count, startingAt: first), asked: count) }
                }
                if !tickPending {
                    tickPending = true
                    let wait = stopping || claiming || !claimable ? Duration.milliseconds(200) : idleDelay
                    group.addTask {
                        try? await Task.sleep(for: wait)
                        return .tick
                    }
                }
                switch await group.next() {
                case .finished:
                    running -= 1
                    // A finished task usually made work for the next stage.
                    idleDelay = .milliseconds(1)
                    mayClaim = true
                    finishedDuringClaim = claiming
                case .tick:
                    tickPending = false
                    mayClaim = true
                case .claimed(let tasks, let asked):
                    claiming = false
                    dry = tasks.count < asked
                    ready += tasks
                    if tasks.isEmpty && !finishedDuringClaim {
                        idleDelay = min(idleDelay * 2, options.maxIdlePoll)
                        mayClaim = false
                    } else {
                        idleDelay = .milliseconds(1)
                    }
                    finishedDuringClaim = false
                case nil:
                    break
                }
            }
            group.cancelAll()
        }
    }

    private func start(_ task: ClaimedTask, in group: inout TaskGroup<Event>, batcher: HandOffBatcher) {
        group.addTask { [processor, metrics, trace = options.slotTrace] in
            metrics.taskStarted()
            trace?.record(.taskStarted, Self.traceDetail(task.entry))
            defer {
                metrics.taskEnded()
                trace?.record(.taskEnded)
            }
            let queue = task.queue
            // Cut off at the end of the drain grace: whatever the stage made of
            // that is no result. The task stays in flight, and the release after
            // the drain returns it to its queue as it was, with no attempt spent.
            guard
                let completion = await processor.process(
                    task.entry, keys: queue.keys, settings: task.settings, mayHoldAnswers: task.mayHoldAnswers),
                !Task.isCancelled
            else { return .finished }
            trace?.record(.taskProcessed)
            // A purged run has nowhere to take it; its in-flight hash is gone too.
            if !self.isPurged(queue.keys.run) {
                metrics.record(completion)
                await batcher.submit(completion, to: queue)
            }
            self.forget(completion.tid, run: queue.keys.run)
            return .finished
        }
    }

    /// Returns tasks claimed ahead and never started to their queues, keeping those in slots.
    /// What a failed release leaves goes back with the release after the drain.
    private func giveBack(_ tasks: [ClaimedTask]) async {
        let tidsByRun = Dictionary(grouping: tasks) { $0.queue.keys.run }.mapValues {
            Set($0.compactMap { TaskEnvelope.Header.read($0.entry)?.tid })
        }
        for (run, tids) in tidsByRun {
            let keep = state.withLock { Array(($0.held[run] ?? []).subtracting(tids)) }
            do {
                let released = try await queue(for: run).release(keeping: keep)
                state.withLock { $0.held[run]?.subtract(tids) }
                logger.notice(
                    "returned the tasks claimed ahead to their queues",
                    metadata: ["run": "\(run)", "tasks": "\(released)"])
            } catch {
                logger.debug(
                    "could not return the tasks claimed ahead", metadata: ["run": "\(run)", "error": "\(error)"])
            }
        }
    }

    /// Claims from the runs in turn, starting at `nextRun`, so that one busy run does not
    /// starve the others.
    private func claim(upTo count: Int, startingAt nextRun: Int) async -> [ClaimedTask] {
        let runs = state.withLock { $0.runs }.sorted { $0.key < $1.key }
        guard !runs.isEmpty, redisFull.mayClaim() else { return [] }
        await reconcileIfReconnected(runs: runs.map(\.key))
        var claimed: [ClaimedTask] = []
        for offset in 0..<runs.count where claimed.count < count {
            let (run, settings) = runs[(nextRun + offset) % runs.count]
            let queue = queue(for: run)
            do {
                options.slotTrace?.record(.claimSent, "\(count - claimed.count)")
                let claims = try await queue.claim(
                    upTo: count - claimed.count, lease: options.lease, outputCap: settings.outputCap,
                    order: options.claimOrder)
                options.slotTrace?.record(.claimReturned, "\(claims.count)")
                redisFull.noteAccepted()
                if !claims.isEmpty { remember(claims.map(\.entry), run: run) }
                claimed += claims.map {
                    ClaimedTask(queue: queue, settings: settings, entry: $0.entry, mayHoldAnswers: $0.mayHoldAnswers)
                }
            } catch {
                metrics.recordRedisError(error)
                // Refused whole while Redis is full; the other runs' claims would be too.
                if redisFull.noteFailure(error, during: "claim") { break }
                logger.debug("claim failed", metadata: ["run": "\(run)", "error": "\(error)"])
            }
        }
        return claimed
    }

    /// The stage, and for a conversation turn the step, from the tid's last two parts.
    private static func traceDetail(_ entry: Data) -> String {
        guard let tid = TaskEnvelope.Header.read(entry)?.tid else { return "unknown" }
        return tid.split(separator: "|").suffix(2).joined(separator: " ")
    }

    private func writeSlotTrace() {
        guard let trace = options.slotTrace else { return }
        do {
            try trace.write()
        } catch {
            logger.warning("could not write the slot trace", metadata: ["path": "\(trace.path)", "error": "\(error)"])
        }
    }

    package func queue(for run: String) -> TaskQueue {
        TaskQueue(redis: redis, keys: RunKeys(namespace: options.namespace, run: run), worker: options.id)
    }

    private func remember(_ entries: [Data], run: String) {
        let tids = entries.compactMap { TaskEnvelope.Header.read($0)?.tid }
        state.withLock { $0.held[run, default: []].formUnion(tids) }
    }

    private func forget(_ tid: String, run: String) {
        _ = state.withLock { $0.held[run]?.remove(tid) }
    }

    private func isPurged(_ run: String) -> Bool {
        state.withLock { $0.purged.contains(run) }
    }

    /// The complete script wrote nothing for tasks this worker no longer owned: a sweep gave
    /// them to another worker, or a purge (which deletes the in-flight hashes first) is under
    /// way or done.
    private func handOffsSkipped(_ count: Int, run: String) async {
        let meta = RunKeys(namespace: options.namespace, run: run).meta
        let reply = try? await redis.send("HGET", meta, "state")
        if let reply, reply.string == nil || reply.string == "cancelled" {
            let what = reply.string == nil ? "purged" : "cancelled"
            logger.notice(
                "run was \(what); dropped the hand-offs of its finished tasks",
                metadata: ["run": "\(run)", "tasks": "\(count)"])
            return
        }
        state.withLock { $0.staleHandOffs += count }
        logger.notice(
            "hand-offs skipped: the tasks were recovered by another worker meanwhile",
            metadata: ["run": "\(run)", "tasks": "\(count)"])
    }

    /// A claim whose reply was lost with a connection left tasks in this worker's in-flight
    /// hash that it does not know it holds; they go back to their queues.
    private func reconcileIfReconnected(runs: [String]) async {
        let generation = redis.connectionGeneration
        let changed = state.withLock { state -> Bool in
            defer { state.lastGeneration = generation }
            return state.lastGeneration != generation
        }
        guard changed else { return }
        for run in runs {
            let keep = state.withLock { Array($0.held[run] ?? []) }
            if let released = try? await queue(for: run).release(keeping: keep), released > 0 {
                logger.notice(
                    "returned tasks whose claim was lost with the connection",
                    metadata: ["run": "\(run)", "tasks": "\(released)"])
            }
        }
    }

    private func releaseEverything() async {
        let runs = state.withLock { Array($0.runs.keys) + Array($0.held.keys) }
        for run in Set(runs) {
            do {
                let released = try await queue(for: run).release()
                if released > 0 {
                    logger.notice(
                        "returned unfinished tasks to their queues",
                        metadata: ["run": "\(run)", "tasks": "\(released)"])
                }
            } catch {
                logger.warning(
                    "could not return unfinished tasks; they come back when this worker's lease expires",
                    metadata: ["run": "\(run)", "error": "\(error)"])
            }
        }
    }
}
