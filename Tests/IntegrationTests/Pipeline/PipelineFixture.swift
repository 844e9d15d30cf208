import Foundation
import Synchronization
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline
@testable import FcsynthRedis
@testable import FcsynthSystem

/// One test's corner of the test Redis: its own namespace and scratch folder, the `fcsynth`
/// commands, `fcsynth-worker` processes and simulators it starts (stopped when it ends), and
/// the Redis views its assertions read.
final class PipelineFixture: Sendable {
    let redisURL: RedisURL
    let redis: RedisClient
    let namespace: String
    let directory: URL
    /// A server of the test's own, when it must restart it; it outlives the workers.
    let privateServer: RedisServerProcess?
    private let children = Mutex<[ChildProcess]>([])
    private let simulators = Mutex<[SimulatorProcess]>([])

    /// `url` is for a server reached some other way than its own port (a TLS tunnel).
    init(url: RedisURL? = nil, server: RedisServerProcess? = nil) throws {
        privateServer = server
        redisURL = try url ?? server?.url ?? TestEnvironment.redis()
        redis = RedisClient(url: redisURL)
        namespace = TestEnvironment.uniqueName("ns")
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            TestEnvironment.uniqueName("fcsynth-pipeline"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        for child in children.withLock({ $0 }) where child.isRunning {
            child.signal(SIGKILL)
            _ = child.waitForExit(timeout: 5)
        }
        simulators.withLock { $0.removeAll() }
        redis.close()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Starts an `fcsynth simulator` that lives as long as the fixture, for workers to call.
    func simulator(_ arguments: [String]) async throws -> WorkerLLM {
        .http(baseURL: try await simulatorProcess(arguments).baseURL)
    }

    /// The same, for a test that reads the simulator's `/stats`.
    func simulatorProcess(_ arguments: [String]) async throws -> SimulatorProcess {
        let simulator = try await SimulatorProcess.start(arguments)
        simulators.withLock { $0.append(simulator) }
        return simulator
    }

    func keys(_ run: String) -> RunKeys { RunKeys(namespace: namespace, run: run) }

    func store(_ run: String) -> RunStore { RunStore(redis: redis, keys: keys(run)) }

    func file(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// The environment every child gets: the test Redis, and no LLM endpoint unless a worker
    /// is given one, so that nothing reaches a real model.
    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["FCSYNTH_REDIS_URL"] = redisURL.secretText
        for name in ["FCSYNTH_LLM_URL", "FCSYNTH_MODEL", "FCSYNTH_API_KEY", "OPENAI_API_KEY"] {
            environment.removeValue(forKey: name)
        }
        return environment
    }

    /// Starts `fcsynth` with `arguments`, plus this fixture's `--namespace` for the commands
    /// that take one. The simulator's template data repeats its composition tasks often, so an
    /// enqueue that does not choose the near-duplicate filter's setting turns it off, and every
    /// enqueue of one run says the same: a test keeps every item for what it tests.
    func start(
        _ arguments: [String], namespaced: Bool = true, environment: [String: String]? = nil
    ) throws -> ChildProcess {
        let choosesFilter = arguments.contains { $0 == "--no-dedup" || $0.hasPrefix("--dedup") }
        let filter = arguments.first == "enqueue" && !choosesFilter ? ["--no-dedup"] : []
        let full = (namespaced ? arguments + ["--namespace", namespace] : arguments) + filter
        return try spawn(
            TestEnvironment.executable("fcsynth"), full, environment: environment ?? self.environment,
            name: "fcsynth-\(arguments[0])")
    }

    /// Runs `fcsynth` to its end; a command still running after `timeout` seconds is killed
    /// and fails the test, so that no hang outlives it.
    func fcsynth(
        _ arguments: [String], namespaced: Bool = true, environment: [String: String]? = nil,
        timeout: Double = 60
    ) async throws -> CommandOutcome {
        let child = try start(arguments, namespaced: namespaced, environment: environment)
        guard try await Self.waitForExit(child, timeout: timeout) else {
            child.signal(SIGKILL)
            _ = try await Self.waitForExit(child, timeout: 5)
            throw FixtureFailure(
                "fcsynth \(arguments.joined(separator: " ")) still running after \(timeout) s:\n\(child.output)")
        }
        return CommandOutcome(status: child.terminationStatus ?? -1, output: child.output)
    }

    /// Runs a long `fcsynth` command to its end for as long as `progress` keeps changing, however
    /// slow a loaded machine makes it; one whose progress stands still for `stall` seconds is
    /// killed and fails the test.
    func fcsynth(
        _ arguments: [String], whileProgressing progress: () async throws -> Int,
        stall: Double = 120
    ) async throws -> CommandOutcome {
        try await waitForEnd(of: try start(arguments), whileProgressing: progress, stall: stall) { last, child in
            "fcsynth \(arguments.joined(separator: " ")) made no progress for \(stall) s (at \(last)):\n\(child.output)"
        }
    }

    /// Waits for a started child to end for as long as `progress` keeps changing, calling
    /// `sample` at each poll; one whose progress stands still for `stall` seconds is killed and
    /// fails the test with what `describe` makes of its last progress and output.
    func waitForEnd(
        of child: ChildProcess, whileProgressing progress: () async throws -> Int, stall: Double,
        sample: () async throws -> Void = {}, describe: (Int, ChildProcess) async throws -> String
    ) async throws -> CommandOutcome {
        var last = try await progress()
        var lastChange = ContinuousClock.now
        while child.isRunning {
            try await sample()
            try await Task.sleep(for: .milliseconds(100))
            let now = try await progress()
            if now != last {
                (last, lastChange) = (now, .now)
            } else if ContinuousClock.now - lastChange > .milliseconds(Int(stall * 1000)) {
                child.signal(SIGKILL)
                _ = try await Self.waitForExit(child, timeout: 5)
                throw FixtureFailure(try await describe(last, child))
            }
        }
        return CommandOutcome(status: child.terminationStatus ?? -1, output: child.output)
    }

    /// `fcsynth status --run RUN --json`, decoded.
    func statusCommand(_ run: String) async throws -> RunStatus {
        let outcome = try await fcsynth(["status", "--run", run, "--json"])
        guard outcome.status == 0 else { throw FixtureFailure("status exited \(outcome.status): \(outcome.output)") }
        return try JSONCoding.decode(RunStatus.self, from: Data(outcome.output.utf8))
    }

    func spawn(
        _ executable: URL, _ arguments: [String], environment: [String: String], name: String
    ) throws -> ChildProcess {
        let child = try ChildProcess(
            executable: executable, arguments: arguments, environment: environment,
            logURL: directory.appendingPathComponent("\(name)-\(TestEnvironment.uniqueName("log")).log"))
        children.withLock { $0.append(child) }
        return child
    }

    /// Polls without holding a thread of the shared pool, which other tests need.
    static func waitForExit(_ child: ChildProcess, timeout: Double) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        while child.isRunning {
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    /// Polls `condition` every `interval` until it holds; false once `timeout` seconds pass.
    static func eventually(
        timeout: Double, interval: Duration = .milliseconds(50),
        _ condition: () async throws -> Bool
    ) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: interval)
        }
        return try await condition()
    }
}
