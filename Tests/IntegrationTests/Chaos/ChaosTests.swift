import Foundation
import TestSupport
import Testing

@testable import FcsynthPipeline
@testable import FcsynthRedis
@testable import FcsynthSystem

/// Real faults against real processes: workers killed, Redis restarted or failed over, an LLM
/// endpoint that misbehaves or vanishes, hosts cut off the network, graceful stops under load,
/// garbage in a queue. Each scenario owns a private redis-server (AOF, fsync always), or a
/// sentinel group of its own, and a namespace, runs a few hundred rows through `fcsynth-worker`
/// processes, and then checks that every item ended exactly once in output, filtered or dead.
/// Each prints one `CHAOS` line of figures.
@Suite("Chaos", .serialized)
struct ChaosTests {
    static let rows = 300
    /// How long `endpointOutage` keeps the endpoint away.
    static let outage = Duration.seconds(60)

    @Test("workers SIGKILLed at random while replacements start")
    func killedWorkers() async throws {
        let simulator = try await SimulatorProcess.start(["--latency-ms", "200"])
        defer { simulator.stop() }
        let world = try await ChaosWorld(rows: Self.rows)
        defer { world.shutDown() }
        #expect(try await world.enqueue() == 0)

        var live: [ChildProcess] = []
        var started = 0
        func replace() throws {
            started += 1
            live.append(try world.startWorker("killed-\(started)", llm: .endpoint(simulator.baseURL)))
        }
        for _ in 0..<3 { try replace() }
        try await world.waitUntil("the first finished tasks", timeout: .seconds(60)) { $0.tasksDone > 0 }

        var kills = 0
        func killOne() async {
            let victim = live.remove(at: Int.random(in: 0..<live.count))
            victim.signal(SIGKILL)
            kills += 1
            #expect(await ChaosWorld.waitForExit(victim, timeout: .seconds(5)))
        }
        let chaosEnds = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < chaosEnds {
            try await Task.sleep(for: .milliseconds(Int.random(in: 2000...4000)))
            await killOne()
            try replace()
        }
        await killOne()
        let faultEnded = ContinuousClock.now
        #expect(try await !world.status().complete, "the run ended before the kills did, so they proved nothing")

        try await world.waitForCompletion()
        let settled = (ContinuousClock.now - faultEnded) / .seconds(1)
        let audit = try await ChaosAudit.read(world)
        audit.expectSound()
        #expect(audit.status.recovered > 0, "no killed worker held a task: the scenario did not test recovery")
        // Random kills need not catch a task holding an answer (the set-progress scenario proves
        // replay), but a replayed call always saves its tokens; the endpoint served more than was
        // counted only for the calls in flight at the kills.
        #expect(
            (audit.status.replayedCalls > 0) == (audit.status.tokensSaved > 0),
            "replayed \(audit.status.replayedCalls) calls, saved \(audit.status.tokensSaved) tokens")
        let counted = audit.status.stages.values.reduce(0) { $0 + $1.llmCalls }
        let served = try await simulator.stats().requestsTotal
        #expect(served >= counted, "served \(served), counted \(counted)")
        let exhausted = audit.deadReasons.filter { $0.contains("workers that died or were cut off") }
        #expect(
            audit.status.dead == exhausted.count,
            "dead for another reason than recoveries exhausted: \(audit.deadReasons)")
        ChaosFigures(
            fault: "SIGKILL \(kills) workers over 20 s", audit: audit, settled: settled,
            extra: [
                ("dead_recoveries_exhausted", "\(exhausted.count)"), ("endpoint_requests", "\(served)"),
                ("counted_calls", "\(counted)"),
            ]
        ).report()
    }

    @Test("redis-server restarted mid-run, while an enqueue runs too")
    func redisRestart() async throws {
        let simulator = try await SimulatorProcess.start(["--latency-ms", "100"])
        defer { simulator.stop() }
        let world = try await ChaosWorld(rows: Self.rows)
        defer { world.shutDown() }
        #expect(try await world.enqueue() == 0)
        let workers = try (1...2).map { try world.startWorker("restart-\($0)", llm: .endpoint(simulator.baseURL)) }
        try await world.waitUntil("output", timeout: .seconds(60)) { $0.output >= 20 }

        // A second run, not served by the workers, whose enqueue the restart interrupts.
        let bigRun = "chaos-big"
        let bigRows = 10_000
        let big = try ChaosRows.write(bigRows, name: "chaos-big")
        defer { try? FileManager.default.removeItem(at: big) }
        let enqueue = try world.coordinator(["enqueue", big.path, "--run", bigRun], name: "enqueue-big")
        try await world.waitUntil("the big enqueue's first batch", timeout: .seconds(60), run: bigRun) {
            $0.rowsEnqueued > 0
        }

        world.redis.stop()
        try await Task.sleep(for: .seconds(2))
        try world.redis.start()
        let faultEnded = ContinuousClock.now
        // The test's own first command may go down with the old connection, as any client's may.
        let baseline = try await world.waitUntil("Redis back", timeout: .seconds(30)) { _ in true }
        let resumed = try await world.secondsUntilProgress(beyond: baseline)

        #expect(await ChaosWorld.waitForExit(enqueue, timeout: .seconds(120)))
        // Enqueue rides out the restart by itself: it asks Redis whether its interrupted batch
        // went through before sending it again.
        let enqueueStatuses = [enqueue.terminationStatus ?? -1]
        #expect(enqueueStatuses == [0], "enqueue exit status \(enqueueStatuses): \(enqueue.output)")

        try await world.waitForCompletion()
        let settled = (ContinuousClock.now - faultEnded) / .seconds(1)
        #expect(workers.allSatisfy { $0.isRunning }, "a worker gave up on Redis: \(world.logTails())")
        let audit = try await ChaosAudit.read(world)
        audit.expectSound()

        let bigStatus = try await world.status(run: bigRun)
        let bigKeys = RunKeys(namespace: world.namespace, run: bigRun)
        let queued = try await world.client.send("LRANGE", bigKeys.queue(.scenarioExtract), 0, -1).array ?? []
        let ids = try queued.map { entry in
            try TaskEnvelope.decode(entry.data ?? Data()).item.id
        }
        #expect(bigStatus.state == "enqueued")
        #expect(bigStatus.rowsEnqueued == bigRows)
        #expect(bigStatus.items == bigRows)
        #expect(ids.count == bigRows)
        #expect(Set(ids) == Set((1...bigRows).map(String.init)))
        ChaosFigures(
            fault: "redis-server down 2 s (AOF, fsync always)", audit: audit, resumed: resumed, settled: settled,
            extra: [
                ("enqueue_exits", enqueueStatuses.map(String.init).joined(separator: ",")),
                ("enqueued", "\(bigStatus.rowsEnqueued)/\(bigRows)"),
                ("enqueue_duplicates", "\(ids.count - Set(ids).count)"),
            ]
        ).report()
    }

    @Test("an LLM endpoint answering 30% of calls with faults")
    func faultyEndpoint() async throws {
        let kinds = ["500", "429", "hang", "malformed", "prose"]
        let simulator = try await SimulatorProcess.start([
            "--latency-ms", "20", "--fault-rate", "0.3", "--faults", kinds.joined(separator: ","), "--retry-after", "1",
        ])
        defer { simulator.stop() }
        let world = try await ChaosWorld(rows: Self.rows)
        defer { world.shutDown() }
        #expect(try await world.enqueue() == 0)
        let started = ContinuousClock.now
        let workers = try (1...2).map {
            try world.startWorker(
                "faulty-\($0)", llm: .endpoint(simulator.baseURL), concurrency: 16,
                environment: ["FCSYNTH_LLM_TIMEOUT": "2"])
        }
        try await world.waitForCompletion(timeout: .seconds(240))
        let settled = (ContinuousClock.now - started) / .seconds(1)
        // A clean stop writes the fault counts gathered since the last heartbeat.
        for worker in workers { worker.signal(SIGTERM) }
        for worker in workers { #expect(await ChaosWorld.waitForExit(worker, timeout: .seconds(30))) }

        let audit = try await ChaosAudit.read(world)
        audit.expectSound()
        let injected = try await simulator.stats()
        for kind in kinds { #expect(injected.faults[kind] ?? 0 > 0, "the simulator injected no \(kind)") }
        let counted = ["http_5xx", "http_429", "transport_timeout", "reply_not_json", "reply_in_prose"]
        for kind in counted {
            #expect(audit.status.llmFaults(kind) > 0, "no \(kind) in llm_faults: \(audit.status.llmFaults)")
        }
        #expect(audit.status.llmFaults("http_5xx") == injected.faults["500"] ?? 0)
        #expect(audit.status.llmFaults("http_429") == injected.faults["429"] ?? 0)
        #expect(audit.status.llmFaults("reply_in_prose") == injected.faults["prose"] ?? 0)
        ChaosFigures(
            fault: "LLM faults 30% (\(kinds.joined(separator: ",")))", audit: audit, settled: settled,
            extra: counted.map { ($0, "\(audit.status.llmFaults($0))") }
                + audit.status.errors.sorted { $0.key < $1.key }.map { ("errors:\($0.key)", "\($0.value)") }
        ).report()
    }

    @Test("the LLM endpoint down for 60 s")
    func endpointOutage() async throws {
        let port = Ports.free()
        var simulator: SimulatorProcess? = try await SimulatorProcess.start([
            "--port", "\(port)", "--latency-ms", "100",
        ])
        defer { simulator?.stop() }
        let world = try await ChaosWorld(rows: Self.rows)
        defer { world.shutDown() }
        #expect(try await world.enqueue() == 0)
        for index in 1...2 { try world.startWorker("outage-\(index)", llm: .endpoint("http://127.0.0.1:\(port)/v1")) }
        try await world.waitUntil("output", timeout: .seconds(60)) { $0.output >= 20 }

        simulator?.stop()
        simulator = nil
        let outageEnds = ContinuousClock.now + Self.outage
        var worstDead = 0
        while ContinuousClock.now < outageEnds {
            try await Task.sleep(for: .seconds(1))
            worstDead = max(worstDead, try await world.status().dead)
        }
        let baseline = try await world.status()
        simulator = try await SimulatorProcess.start(["--port", "\(port)", "--latency-ms", "100"])
        let faultEnded = ContinuousClock.now
        let resumed = try await world.secondsUntilProgress(beyond: baseline, timeout: .seconds(60))
        try await world.waitForCompletion()
        let settled = (ContinuousClock.now - faultEnded) / .seconds(1)

        let audit = try await ChaosAudit.read(world)
        audit.expectSound()
        #expect(
            worstDead == 0 && audit.status.dead == 0, "the outage burnt attempt budgets: \(audit.deadReasons.prefix(3))"
        )
        let paused = audit.status.errors["paused_for_outage"] ?? 0
        #expect(paused > 0, "no task was paused for the outage: \(audit.status.errors)")
        ChaosFigures(
            fault: "LLM endpoint down \(Self.outage.components.seconds) s", audit: audit, resumed: resumed,
            settled: settled,
            extra: [
                ("paused_for_outage", "\(paused)"),
                ("connect_refused", "\(audit.status.llmFaults("transport_connect_refused"))"),
            ]
        ).report()
    }

    @Test(
        "a worker host cut off the network for longer than its lease, then back",
        .enabled(if: WorkerHosts.isAvailable, "needs root and iproute2 allowed to create network namespaces (ip netns)")
    )
    func hostCutOff() async throws {
        let network = try WorkerHosts(count: 2)
        defer { network.tearDown() }
        let simulator = try await SimulatorProcess.start([
            "--host", network.serviceAddress, "--allow-remote", "--latency-ms", "100",
        ])
        defer { simulator.stop() }
        let world = try await ChaosWorld(rows: Self.rows, redisConfig: ["bind 127.0.0.1 \(network.serviceAddress)"])
        defer { world.shutDown() }
        #expect(try await world.enqueue() == 0)
        let llm = ChaosWorld.LLM.endpoint("http://\(network.serviceAddress):\(simulator.port)/v1")
        let redisURL = "redis://\(network.serviceAddress):\(world.redis.port)"
        let ids = ["host-a", "host-b"]
        let workers = try zip(ids, network.hosts).map { id, host in
            try world.startWorker(
                id, llm: llm, environment: ["FCSYNTH_LLM_TIMEOUT": "5"],
                launcher: network.launcher(for: host), redisURL: redisURL)
        }
        try await world.waitUntil("output from both hosts", timeout: .seconds(60)) {
            $0.output >= 20 && $0.workers == 2
        }

        let cutAt = ContinuousClock.now
        try network.cut(network.hosts[0])
        let recovered = try await world.waitUntil(
            "the other host to recover the cut host's tasks", timeout: .seconds(30)
        ) { $0.recovered > 0 }
        let recoveredAfter = (ContinuousClock.now - cutAt) / .seconds(1)
        #expect(try await !world.status().complete, "the run ended during the cut, so the rejoin proves nothing")
        try await Task.sleep(until: cutAt + .seconds(10))
        try network.restore(network.hosts[0])
        let faultEnded = ContinuousClock.now

        let lease = try await rejoinedLease(world, worker: ids[0], timeout: .seconds(40))
        #expect(lease, "the cut-off worker did not come back: \(world.logTails())")
        try await world.waitForCompletion()
        let settled = (ContinuousClock.now - faultEnded) / .seconds(1)
        #expect(workers.allSatisfy { $0.isRunning })
        let audit = try await ChaosAudit.read(world)
        audit.expectSound()
        #expect(audit.status.dead == 0, "\(audit.deadReasons)")
        let stale = PipelineFixture.loggedCount(of: "hand-offs skipped", in: workers[0].output)
        ChaosFigures(
            fault: "host cut off 10 s (lease 3 s)", audit: audit, resumed: recoveredAfter, settled: settled,
            extra: [("recovered_at_cut", "\(recovered.recovered)"), ("stale_handoffs_discarded", "\(stale)")]
        ).report()
    }

    @Test("the Redis master SIGKILLed mid-run; three sentinels promote its replica")
    func sentinelFailover() async throws {
        let simulator = try await SimulatorProcess.start(["--latency-ms", "100"])
        defer { simulator.stop() }
        let password = "chaos-sentinel-pw-3c9f1"
        // The replica reaches its master through a proxy that holds each chunk (up to 64 KiB) for
        // 100 ms, so that it falls behind as a distant or overloaded replica does: the failover
        // then loses writes the master acknowledged, and the run must still end exactly once.
        let group = try RedisSentinelGroup(password: password, sentinels: 3, replicationDelay: .milliseconds(100))
        try await group.waitUntilReady()
        let world = try ChaosWorld(rows: Self.rows, sentinels: group)
        defer { world.shutDown() }
        #expect(try await world.enqueue() == 0)
        let (master, replica) = (group.directClient(group.nodes[0]), group.directClient(group.nodes[1]))
        defer {
            master.close()
            replica.close()
        }
        // The input is on the replica before the fault: a failover during an enqueue is for
        // the operator to resume by running it again (docs/reliability.md).
        #expect(try await master.send("WAIT", 1, 10_000).integer == 1)

        let workers = try (1...3).map { try world.startWorker("failover-\($0)", llm: .endpoint(simulator.baseURL)) }
        try await world.waitUntil("output", timeout: .seconds(60)) { $0.output >= 20 }

        // What the master had acknowledged just before it died, and what the replica had of it
        // when it did: the difference is lost for good (asynchronous replication).
        let onMaster = try await RunStore(redis: master, keys: world.keys).status()
        let masterOffset = try await Self.replicationOffset(master)
        let killedAt = ContinuousClock.now
        group.nodes[0].kill()
        let replicaOffset = try await Self.replicationOffset(replica)
        let onReplica = try await RunStore(redis: replica, keys: world.keys).status()
        let lostBytes = max(0, masterOffset - replicaOffset)
        let lostCompletions = max(0, onMaster.tasksDone - onReplica.tasksDone)

        let promoted = RedisAddress(host: "127.0.0.1", port: group.nodes[1].port)
        while await group.master() != promoted {
            guard ContinuousClock.now < killedAt + .seconds(60) else {
                Issue.record("the sentinels did not promote the replica within 60 s:\n\(group.logTails())")
                throw ChaosFailure.timedOut("the failover")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let faultEnded = ContinuousClock.now
        let failover = (faultEnded - killedAt) / .seconds(1)
        // The test's own first command may go down with the old master, as any client's may.
        let after = try await world.waitUntil("the new master", timeout: .seconds(30)) { _ in true }
        #expect(!after.complete, "the run ended before the failover, so it proved nothing")
        let resumed = try await world.secondsUntilProgress(beyond: onReplica)
        try await world.waitForCompletion()
        let settled = (ContinuousClock.now - faultEnded) / .seconds(1)

        #expect(workers.allSatisfy { $0.isRunning }, "a worker gave up on Redis: \(world.logTails())")
        let audit = try await ChaosAudit.read(world)
        audit.expectSound()
        #expect(audit.status.dead == 0, "\(audit.deadReasons)")
        let logs = workers.map(\.output)
        let followed = logs.filter { $0.contains("Redis master changed") }.count
        #expect(followed == workers.count, "every worker logs that it follows the new master")
        #expect(!world.logTails(lines: .max).contains(password), "a log shows the Redis password")
        let reconciled = logs.reduce(0) { $0 + Self.loggedCount(of: "claim was lost with the connection", in: $1) }
        let stale = logs.reduce(0) { $0 + Self.loggedCount(of: "hand-offs skipped", in: $1) }
        ChaosFigures(
            fault: "Redis master SIGKILLed; 3 sentinels (down-after 1 s) promoted its replica, behind on a slow link",
            audit: audit,
            resumed: resumed, settled: settled,
            extra: [
                ("failover_s", String(format: "%.1f", failover)), ("lost_replication_bytes", "\(lostBytes)"),
                ("lost_task_completions", "\(lostCompletions)"), ("returned_by_reconciliation", "\(reconciled)"),
                ("stale_handoffs_discarded", "\(stale)"), ("workers_followed", "\(followed)/\(workers.count)"),
            ]
        ).report()
    }

    /// How far a node is into the replication stream (`INFO replication`): on a replica, what
    /// it has applied.
    private static func replicationOffset(_ client: RedisClient) async throws -> Int {
        let info = try await client.send("INFO", "replication").string ?? ""
        let line = info.split(whereSeparator: \.isNewline).first { $0.hasPrefix("master_repl_offset:") }
        return line.flatMap { Int($0.dropFirst("master_repl_offset:".count)) } ?? 0
    }

    /// The `tasks=N` a worker logged with `message`, summed.
    private static func loggedCount(of message: String, in log: String) -> Int {
        log.split(separator: "\n").filter { $0.contains(message) }.reduce(0) { total, line in
            total + (line.firstMatch(of: /tasks=(\d+)/).flatMap { Int($0.1) } ?? 0)
        }
    }

    /// Whether the worker holds a live lease again within `timeout`: it heartbeats or claims.
    private func rejoinedLease(_ world: ChaosWorld, worker: String, timeout: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let score = try await world.client.send("ZSCORE", world.keys.workers, worker).string.flatMap(Double.init)
            let now = try await world.client.send("TIME").timeMilliseconds
            if let score, let now, score > Double(now) { return true }
            try await Task.sleep(for: .milliseconds(250))
        }
        return false
    }

    @Test("Redis full: maxmemory set to the memory in use (noeviction) for 15 s")
    func redisFull() async throws {
        let simulator = try await SimulatorProcess.start(["--latency-ms", "100"])
        defer { simulator.stop() }
        let world = try await ChaosWorld(rows: Self.rows, redisConfig: ["maxmemory-policy noeviction"])
        defer { world.shutDown() }
        #expect(try await world.enqueue() == 0)
        let workers = try (1...3).map { try world.startWorker("full-\($0)", llm: .endpoint(simulator.baseURL)) }
        try await world.waitUntil("output", timeout: .seconds(60)) { $0.output >= 20 }

        // The case of the report: the limit at the memory in use.
        let limit = try await Self.usedMemory(world.client)
        try await world.client.send("CONFIG", "SET", "maxmemory", limit)
        let fullUntil = ContinuousClock.now + .seconds(15)
        var peak = limit
        var fewestLive = Int.max
        while ContinuousClock.now < fullUntil {
            try await Task.sleep(for: .milliseconds(500))
            peak = max(peak, try await Self.usedMemory(world.client))
            fewestLive = min(fewestLive, try await world.status().workers)
        }
        let baseline = try await world.status()
        try await world.client.send("CONFIG", "SET", "maxmemory", 0)
        let faultEnded = ContinuousClock.now
        let resumed = try await world.secondsUntilProgress(beyond: baseline, timeout: .seconds(60))
        try await world.waitForCompletion()
        let settled = (ContinuousClock.now - faultEnded) / .seconds(1)

        let audit = try await ChaosAudit.read(world)
        audit.expectSound()
        #expect(audit.status.recovered == 0 && audit.status.dead == 0, "\(audit.deadReasons.prefix(3))")
        #expect(fewestLive == 3, "a lease lapsed while Redis was full")
        // Only the hand-offs of the tasks in hand (3 workers, 8 each) add while full.
        let overshoot = Double(peak - limit) / Double(limit)
        #expect(overshoot < 0.2, "memory grew \(peak - limit) bytes past the limit of \(limit)")
        for worker in workers {
            worker.signal(SIGTERM)
            #expect(await ChaosWorld.waitForExit(worker, timeout: .seconds(60)))
        }
        let episodes = workers.map { Self.loggedLines("Redis is full", in: $0.output) }
        let ends = workers.map { Self.loggedLines("Redis has room again", in: $0.output) }
        #expect(episodes == ends && episodes.allSatisfy { $0 >= 1 }, "full \(episodes), room again \(ends)")
        // The fleet's LLM counts waited in the workers while Redis refused them: none is lost.
        let answered = try await simulator.stats().requestsTotal
        let counted = try await world.status().llmFaults["llm_calls"] ?? 0
        #expect(counted == answered, "fleet llm_calls \(counted), the simulator answered \(answered)")
        ChaosFigures(
            fault: "maxmemory at the memory in use for 15 s (noeviction)", audit: audit, resumed: resumed,
            settled: settled,
            extra: [
                ("limit_bytes", "\(limit)"), ("peak_bytes", "\(peak)"),
                ("overshoot_percent", String(format: "%.1f", overshoot * 100)),
                ("episodes", episodes.map(String.init).joined(separator: ",")),
                ("llm_calls", "\(counted)/\(answered)"),
            ]
        ).report()
    }

    private static func usedMemory(_ client: RedisClient) async throws -> Int {
        let info = try await client.send("INFO", "memory").string ?? ""
        return try #require(RedisMemory(info: info)).used
    }

    private static func loggedLines(_ message: String, in log: String) -> Int {
        log.split(separator: "\n").filter { $0.contains(message) }.count
    }

    @Test("SIGTERM to every worker under load, then restart")
    func gracefulStop() async throws {
        let simulator = try await SimulatorProcess.start(["--latency-ms", "200"])
        defer { simulator.stop() }
        let world = try await ChaosWorld(rows: Self.rows)
        defer { world.shutDown() }
        #expect(try await world.enqueue() == 0)
        // Two finish their tasks in hand; the third has no grace and returns them to their queues.
        let graces = ["drain-1": 5.0, "drain-2": 5.0, "drain-0s": 0.0]
        let ids = graces.keys.sorted()
        let first = try ids.map {
            try world.startWorker(
                $0, llm: .endpoint(simulator.baseURL), concurrency: 16, arguments: ["--drain-grace", "\(graces[$0]!)"])
        }
        let loaded = try await world.waitUntil("output with tasks in flight", timeout: .seconds(60)) {
            $0.output >= 20 && $0.tasksInFlight > 0
        }

        let signalled = ContinuousClock.now
        for worker in first { worker.signal(SIGTERM) }
        var slowest = 0.0
        for (id, worker) in zip(ids, first) {
            // Its grace, and room for a loaded machine to write back and exit.
            #expect(
                await ChaosWorld.waitForExit(worker, timeout: .seconds(graces[id]! + 30)),
                "\(id) did not stop after its grace")
            slowest = max(slowest, (ContinuousClock.now - signalled) / .seconds(1))
            #expect(worker.terminationStatus == 0, "\(worker.output)")
        }
        for id in ids {
            #expect(try await world.client.send("HLEN", world.keys.inflight(worker: id)).integer == 0)
            #expect(try await world.client.send("ZSCORE", world.keys.workers, id).isNull)
        }
        let stopped = try await world.status()
        #expect(stopped.tasksInFlight == 0)
        #expect(!stopped.complete)

        let faultEnded = ContinuousClock.now
        for id in ids { try world.startWorker(id, llm: .endpoint(simulator.baseURL), concurrency: 16) }
        let resumed = try await world.secondsUntilProgress(beyond: stopped)
        try await world.waitForCompletion()
        let settled = (ContinuousClock.now - faultEnded) / .seconds(1)
        let audit = try await ChaosAudit.read(world)
        audit.expectSound()
        #expect(audit.status.recovered == 0, "a graceful stop left tasks to lease expiry")
        #expect(audit.status.dead == 0)
        ChaosFigures(
            fault: "SIGTERM 3 workers (grace 5, 5, 0 s), \(loaded.tasksInFlight) tasks in flight", audit: audit,
            resumed: resumed, settled: settled, extra: [("drain_s", String(format: "%.1f", slowest))]
        ).report()
    }

    @Test("garbage pushed into queues by hand goes to dead; the worker carries on")
    func garbageInQueues() async throws {
        let world = try await ChaosWorld(rows: Self.rows)
        defer { world.shutDown() }
        #expect(try await world.enqueue() == 0)
        func envelope(_ tid: String, run: String, stage: String, item: String) -> String {
            #"{"tid":"\#(tid)","run":"\#(run)","stage":"\#(stage)","attempt":0,"recoveries":0,"item":\#(item)}"#
        }
        let keys = world.keys
        // Caught by the claim script, by the worker's decoding, and on promotion from the delayed set.
        try await world.client.send("RPUSH", keys.queue(.atomTask), "this is not a task")
        try await world.client.send(
            "RPUSH", keys.queue(.conversation), envelope("junk-1", run: world.run, stage: "nonsense", item: "{}"))
        try await world.client.send(
            "RPUSH", keys.queue(.atomTask),
            envelope("junk-2", run: world.run, stage: "atom_task", item: #""not an item""#))
        try await world.client.send(
            "RPUSH", keys.queue(.functionGen),
            envelope("junk-3", run: "elsewhere", stage: "function_gen", item: #"{"id":"stray","line":0}"#))
        try await world.client.send("ZADD", keys.delayed, 0, "not a delayed task either")
        let garbage = 5

        let started = ContinuousClock.now
        let worker = try world.startWorker("garbage-1", llm: .simulate)
        try await world.waitForCompletion(timeout: .seconds(120))
        let settled = (ContinuousClock.now - started) / .seconds(1)
        #expect(worker.isRunning)

        let audit = try await ChaosAudit.read(world)
        audit.expectSound(strangers: ["stray"])
        #expect(audit.status.dead == garbage)
        #expect(audit.status.items == Self.rows + garbage)
        let reasons = audit.deadReasons
        #expect(reasons.contains("malformed task: not a fcsynth task envelope"))
        #expect(reasons.contains("task of stage nonsense found in the conversation queue"))
        #expect(reasons.contains { $0.contains("the item does not decode") })
        #expect(reasons.contains(#"task of run "elsewhere" found in run "\#(world.run)""#))
        #expect(reasons.contains("malformed task in the delayed set"))
        ChaosFigures(fault: "\(garbage) garbage entries in queues and the delayed set", audit: audit, settled: settled)
            .report()
    }

    @Test("endless LLM responses are cut at the limit and counted as failed calls")
    func oversizedResponses() async throws {
        let simulator = try await SimulatorProcess.start([
            "--latency-ms", "20", "--fault-rate", "0.05", "--faults", "large",
        ])
        defer { simulator.stop() }
        let world = try await ChaosWorld(rows: Self.rows)
        defer { world.shutDown() }
        #expect(try await world.enqueue() == 0)
        let limit = 256 << 10
        let started = ContinuousClock.now
        let workers = try (1...2).map {
            try world.startWorker(
                "large-\($0)", llm: .endpoint(simulator.baseURL),
                environment: ["FCSYNTH_LLM_MAX_RESPONSE_BYTES": "\(limit)"])
        }
        try await world.waitForCompletion(timeout: .seconds(180))
        let settled = (ContinuousClock.now - started) / .seconds(1)
        let peak = workers.map { Self.peakResidentBytes(of: $0.pid) }.max() ?? 0
        for worker in workers { worker.signal(SIGTERM) }
        for worker in workers { #expect(await ChaosWorld.waitForExit(worker, timeout: .seconds(30))) }

        let audit = try await ChaosAudit.read(world)
        audit.expectSound()
        let injected = try await simulator.stats().faults["large"] ?? 0
        #expect(injected > 0)
        #expect(audit.status.llmFaults("response_too_large") == injected)
        #expect(audit.status.errors["response_too_large"] ?? 0 > 0)
        // Each endless body is 64 MiB; a client that read them whole would hold several at once.
        #expect(peak > 0 && peak < 200 << 20, "worker peak RSS \(peak >> 20) MiB")
        ChaosFigures(
            fault: "endless responses 5% (64 MiB, limit 256 KiB)", audit: audit, settled: settled,
            extra: [("cut", "\(injected)"), ("peak_rss_mib", "\(peak >> 20)")]
        ).report()
    }

    /// VmHWM from /proc: the most memory the process ever held.
    private static func peakResidentBytes(of pid: pid_t) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return 0 }
        return kilobytes << 10
    }
}
