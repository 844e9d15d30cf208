import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline
@testable import FcsynthRedis
@testable import FcsynthSystem

/// One chaos scenario's world: a private redis-server (AOF on, fsync always) and namespace, a
/// run of generated rows, and the coordinator and worker processes started against them.
/// `shutDown()` stops every process it started, by PID.
final class ChaosWorld: @unchecked Sendable {
    /// Where workers get their answers.
    enum LLM {
        case simulate
        case endpoint(String)

        var arguments: [String] {
            switch self {
            case .simulate: ["--simulate"]
            case .endpoint(let url): ["--llm-url", url, "--model", "chaos-sim"]
            }
        }
    }

    /// The world's own redis-server; under sentinels, the data node that starts as the master.
    let redis: RedisServerProcess
    /// What every process of the world connects to: that server, or the sentinels' master.
    let url: RedisURL
    let client: RedisClient
    let namespace = TestEnvironment.uniqueName("chaos")
    let run = "chaos"
    let rows: Int
    let input: URL
    let keys: RunKeys
    private let lock = NSLock()
    private var processes: [ChildProcess] = []

    private init(rows: Int, redis: RedisServerProcess, url: RedisURL) throws {
        self.redis = redis
        self.url = url
        client = RedisClient(url: url, options: .patient(waitingUpTo: 60))
        self.rows = rows
        input = try ChaosRows.write(rows, name: "chaos-rows")
        keys = RunKeys(namespace: namespace, run: run)
    }

    convenience init(rows: Int = 300, redisConfig: [String] = []) async throws {
        let server = try await Self.privateRedis(config: redisConfig)
        try self.init(rows: rows, redis: server, url: server.url)
    }

    /// A world whose processes find the master through the group's sentinels.
    convenience init(rows: Int = 300, sentinels group: RedisSentinelGroup) throws {
        try self.init(rows: rows, redis: group.nodes[0], url: group.url)
    }

    deinit {
        shutDown()
    }

    /// A free port is only free until someone else takes it: another test's server may have
    /// bound it first, in which case ours exited and the one answering is not ours.
    private static func privateRedis(config: [String]) async throws -> RedisServerProcess {
        for _ in 0..<3 {
            let server = try RedisServerProcess(appendOnly: true, extraConfig: config)
            let probe = RedisClient(url: server.url, options: .failFast)
            defer { probe.close() }
            let directory = try? await probe.send("CONFIG", "GET", "dir").array?.last?.string
            if directory.map(URL.init(fileURLWithPath:))?.lastPathComponent == server.directory.lastPathComponent {
                return server
            }
        }
        throw ChaosFailure.setup("could not start a private redis-server on a port of its own")
    }

    /// With its password, if any: it reaches the children through their environment alone.
    var redisURL: String { url.secretText }

    /// The test process's environment with this world's Redis; never a secret in arguments.
    func environment(redisURL: String? = nil, _ extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("FCSYNTH_") }
        environment["FCSYNTH_REDIS_URL"] = redisURL ?? self.redisURL
        environment["FCSYNTH_LOG_LEVEL"] = "notice"
        return environment.merging(extra) { $1 }
    }

    /// Starts `fcsynth ARGUMENTS --namespace NS`.
    func coordinator(_ arguments: [String], name: String) throws -> ChildProcess {
        try track(
            ChildProcess(
                executable: TestEnvironment.executable("fcsynth"), arguments: arguments + ["--namespace", namespace],
                environment: environment(), logName: "chaos-\(name)"))
    }

    /// Runs `fcsynth enqueue` to its end and returns its exit status.
    func enqueue(
        _ file: URL? = nil, run: String? = nil, options: [String] = [], timeout: Duration = .seconds(120)
    ) async throws -> Int32 {
        // The simulator writes the same composition task for most of these rows, and the
        // near-duplicate filter would end nine items in ten at composition_filter: the faults
        // here need the whole pipeline's volume to land on (NearDuplicateTests covers the filter).
        let process = try coordinator(
            ["enqueue", (file ?? input).path, "--run", run ?? self.run, "--no-dedup"] + options, name: "enqueue")
        #expect(await Self.waitForExit(process, timeout: timeout), "enqueue did not finish: \(process.output)")
        return process.terminationStatus ?? -1
    }

    /// Starts a worker serving this world's run. `launcher` goes before the executable
    /// (`ip netns exec NS`); `redisURL` replaces the loopback one for workers elsewhere.
    @discardableResult
    func startWorker(
        _ id: String, llm: LLM, concurrency: Int = 8, arguments: [String] = [],
        environment extra: [String: String] = [:],
        launcher: [String] = [], redisURL: String? = nil
    ) throws -> ChildProcess {
        let worker = TestEnvironment.executable("fcsynth-worker")
        let command =
            launcher + [worker.path] + llm.arguments + [
                "--concurrency", String(concurrency), "--run", run, "--namespace", namespace, "--id", id, "--lease",
                "3",
            ] + arguments
        return try track(
            ChildProcess(
                executable: URL(fileURLWithPath: command[0]), arguments: Array(command.dropFirst()),
                environment: environment(redisURL: redisURL, extra), logName: "chaos-\(id)"))
    }

    private func track(_ process: ChildProcess) -> ChildProcess {
        lock.withLock { processes.append(process) }
        return process
    }

    func status(run: String? = nil) async throws -> RunStatus {
        try await RunStore(redis: client, keys: RunKeys(namespace: namespace, run: run ?? self.run)).status()
    }

    /// Polls the run's status until `condition` holds; fails the test with the last status
    /// and the workers' logs if it does not within `timeout`.
    @discardableResult
    func waitUntil(
        _ what: String, timeout: Duration, run: String? = nil, sourceLocation: SourceLocation = #_sourceLocation,
        _ condition: (RunStatus) -> Bool
    ) async throws -> RunStatus {
        let deadline = ContinuousClock.now + timeout
        while true {
            // A run that does not exist yet, or a Redis that is down, is not there yet.
            let status = try? await self.status(run: run)
            if let status, condition(status) { return status }
            guard ContinuousClock.now < deadline else {
                let last = status.flatMap { try? JSONCoding.encodeString($0) } ?? "no status"
                Issue.record("timed out waiting for \(what): \(last)\n\(logTails())", sourceLocation: sourceLocation)
                throw ChaosFailure.timedOut(what)
            }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    /// Seconds until the run finishes a task beyond those `baseline` counted.
    func secondsUntilProgress(beyond baseline: RunStatus, timeout: Duration = .seconds(120)) async throws -> Double {
        let started = ContinuousClock.now
        try await waitUntil("progress", timeout: timeout) { $0.tasksDone > baseline.tasksDone }
        return (ContinuousClock.now - started) / .seconds(1)
    }

    @discardableResult
    func waitForCompletion(
        timeout: Duration = .seconds(180), sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> RunStatus {
        try await waitUntil("the run to complete", timeout: timeout, sourceLocation: sourceLocation) { $0.complete }
    }

    /// The last lines of every process's log, for a failure message.
    func logTails(lines: Int = 15) -> String {
        lock.withLock { processes }.map { process in
            let tail = process.output.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(
                separator: "\n")
            return "--- \(process.logURL.lastPathComponent) (pid \(process.pid)):\n\(tail)"
        }.joined(separator: "\n")
    }

    /// Stops every process this world started (SIGTERM, then SIGKILL), and removes their logs.
    func shutDown() {
        let started = lock.withLock {
            defer { processes = [] }
            return processes
        }
        for process in started where process.isRunning { process.signal(SIGTERM) }
        for process in started {
            if !process.waitForExit(timeout: 10) { process.stop(grace: 0) }
            try? FileManager.default.removeItem(at: process.logURL)
        }
        client.close()
        try? FileManager.default.removeItem(at: input)
    }

    /// Waits for a process to exit without holding a thread of the cooperative pool.
    static func waitForExit(_ process: ChildProcess, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return !process.isRunning
    }
}
