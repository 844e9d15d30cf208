import FcsynthCore
import FcsynthRedis
import Foundation

extension PipelineWorker {
    /// Heartbeats, sweeps for dead workers' tasks, and run discovery, each on its own period.
    package func maintain() async {
        var lastSweep = ContinuousClock.now
        var lastHeartbeat = ContinuousClock.now - options.heartbeatInterval
        var lastDiscovery = ContinuousClock.now
        while !Task.isCancelled {
            let now = ContinuousClock.now
            if now - lastHeartbeat >= options.heartbeatInterval {
                await heartbeat()
                lastHeartbeat = now
            }
            if now - lastDiscovery >= options.discoveryInterval {
                await refreshRuns()
                lastDiscovery = now
            }
            if now - lastSweep >= options.sweepInterval {
                await sweep()
                lastSweep = now
            }
            try? await Task.sleep(for: .milliseconds(250))
        }
    }

    package func refreshRuns() async {
        let directory = RunDirectory(redis: redis, namespace: options.namespace, only: options.runs)
        guard let (runs, unreadable) = try? await directory.load() else { return }
        let (newlyUnreadable, gone) = state.withLock { state -> ([String], [String]) in
            let gone = Set(state.runs.keys).union(state.cancelled).filter { runs[$0] == nil }.sorted()
            state.runs = runs
            state.purged.subtract(runs.keys)
            state.cancelled.subtract(runs.keys)
            let fresh = unreadable.filter { !state.reportedUnreadable.contains($0) }
            state.reportedUnreadable.formUnion(fresh)
            return (fresh, gone)
        }
        for run in newlyUnreadable {
            logger.error(
                "skipping a run whose settings this worker cannot read (an older or newer fcsynth?)",
                metadata: ["run": "\(run)"])
        }
        for run in gone { await leave(run) }
    }

    /// Says why a run left the directory, or a cancelled one it watches went. A purged run's
    /// keys are all gone: this worker drops what it holds of it, and takes itself out of the
    /// lease set, which a heartbeat may have made again while the purge was deleting keys.
    private func leave(_ run: String) async {
        let keys = RunKeys(namespace: options.namespace, run: run)
        guard let reply = try? await redis.send("HGET", keys.meta, "state") else { return }
        let (inHand, known) = state.withLock { ($0.held[run]?.count ?? 0, $0.cancelled.contains(run)) }
        switch reply.string {
        case nil:
            state.withLock { state in
                state.purged.insert(run)
                state.cancelled.remove(run)
            }
            _ = try? await redis.send("ZREM", keys.workers, options.id)
            logger.notice(
                "run was purged; dropped its tasks in hand", metadata: ["run": "\(run)", "tasks": "\(inHand)"])
        case "cancelled" where !known:
            state.withLock { _ = $0.cancelled.insert(run) }
            logger.notice(
                "run was cancelled; its tasks in hand finish, and none follows them",
                metadata: ["run": "\(run)", "tasks": "\(inHand)"])
        default:
            break
        }
    }

    /// One round trip after the meta check: the lease renewals in each run it serves whose meta
    /// still exists (in a purged run the renewal would make the lease set again, and nothing
    /// would delete it), the registry entry, and the fault counts.
    private func heartbeat() async {
        let served = state.withLock { Array($0.runs.keys) }
        let existing = try? await redis.execute(
            served.map { RedisCommand("EXISTS", RunKeys(namespace: options.namespace, run: $0).meta) })
        let runs = zip(served, existing ?? []).filter { $0.1.integer == 1 }.map(\.0)
        let renewals = runs.map { queue(for: $0).heartbeat(lease: options.lease) }
        // By this host's clock, for people reading the registry: liveness is the leases alone.
        let description = WorkerDescription(
            id: options.id, host: ProcessInfo.processInfo.hostName, pid: Int(getpid()),
            concurrency: options.concurrency, lastSeen: Date().timeIntervalSince1970)
        var commands: [RedisCommand] = []
        if let json = try? JSONCoding.encodeString(description) {
            commands.append(
                RedisCommand("HSET", RunKeys.workerRegistry(namespace: options.namespace), options.id, json))
        }
        await execute(renewals, commands, thenFaults: faults.drain())
    }

    /// Writes the LLM counts gathered since the last heartbeat, so that a clean stop loses none.
    package func flushFaults() async {
        let drained = faults.drain()
        if !drained.isEmpty { await execute([], [], thenFaults: drained) }
    }

    /// Runs `calls`, `commands` and then one increment per fault count; the counts Redis did
    /// not take (it was down, or full, or refused one) go back to the tally for the next
    /// heartbeat. The renewals go through a full Redis (renew_lease.lua); the registry entry
    /// and the increments do not, and tell whether it is full.
    private func execute(
        _ calls: [RedisScriptCall], _ commands: [RedisCommand], thenFaults counts: [String: Int]
    ) async {
        let fields = counts.keys.sorted()
        let increments = fields.map { field in
            RedisCommand("HINCRBY", RunKeys.fleetStats(namespace: options.namespace), field, counts[field] ?? 0)
        }
        do {
            let replies = try await redis.execute(calls, then: commands + increments)
            let refused = zip(fields, replies.suffix(fields.count)).filter { (try? $0.1.orThrow()) == nil }
            faults.restore(Dictionary(uniqueKeysWithValues: refused.map { ($0.0, counts[$0.0] ?? 0) }))
            noteMemory(replies.suffix(commands.count + increments.count))
        } catch {
            faults.restore(counts)
        }
    }

    /// Plain writes a full Redis refuses: whether it refused them, or took one.
    private func noteMemory(_ replies: ArraySlice<RedisReply>) {
        var took = false
        for reply in replies {
            do {
                _ = try reply.orThrow()
                took = true
            } catch {
                if redisFull.noteFailure(error, during: "heartbeat: registry entry and fleet stats") { return }
            }
        }
        if took { redisFull.noteAccepted() }
    }

    private func sweep() async {
        let runs = state.withLock { $0.runs }
        for (run, settings) in runs {
            guard
                let report = try? await queue(for: run).recoverExpired(
                    maxRecoveries: settings.maxRecoveries, interval: options.sweepInterval),
                report.workers > 0
            else { continue }
            logger.notice(
                "recovered the tasks of workers that went silent",
                metadata: [
                    "run": "\(run)", "workers": "\(report.workers)", "requeued": "\(report.requeued)",
                    "dead": "\(report.dead)",
                ])
        }
    }
}

extension PipelineWorker {
    /// The batch side, in a loop of its own: an upload or a download of a batch's files can
    /// take minutes, and must not hold up heartbeats. Stops at the drain, giving up its leads.
    package func submitBatches() async {
        var told: Set<String> = []
        while !Task.isCancelled && state.withLock({ $0.stopRequested == nil }) {
            let runs = state.withLock { $0.runs.filter { $0.value.batch != nil } }
            for (run, settings) in runs.sorted(by: { $0.key < $1.key }) {
                let keys = RunKeys(namespace: options.namespace, run: run)
                if let batches {
                    await batches.step(redis: redis, keys: keys, settings: settings)
                } else if told.insert(run).inserted {
                    logger.notice(
                        "run is in batch mode, and this worker has no Batch API: it parks the run's tasks, and a worker with an HTTP endpoint submits their batches",
                        metadata: ["run": "\(run)"])
                }
            }
            try? await Task.sleep(for: options.batchInterval)
        }
        guard let batches else { return }
        for run in state.withLock({ Array($0.runs.keys) }) {
            await batches.resign(redis: redis, keys: RunKeys(namespace: options.namespace, run: run))
        }
    }
}
