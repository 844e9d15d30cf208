import Foundation
import TestSupport

extension PipelineFixture {
    /// Starts `fcsynth-worker` in this fixture's namespace with a short lease, so that a
    /// killed worker's tasks come back within seconds. No `runs`: it serves every active run.
    /// `environment` replaces the fixture's own; the drain timeout is 30 s past the grace unless given.
    func startWorker(
        runs: [String] = [], llm: WorkerLLM = .simulated, concurrency: Int = 16,
        lease: Double = 3, drainGrace: Double = 5, drainTimeout: Double? = nil, extraArguments: [String] = [],
        environment: [String: String]? = nil
    ) throws -> WorkerProcess {
        let id = TestEnvironment.uniqueName("worker")
        var arguments = [
            "--namespace", namespace, "--id", id, "--concurrency", String(concurrency),
            "--lease", String(lease), "--drain-grace", String(drainGrace),
            "--drain-timeout", String(drainTimeout ?? drainGrace + 30), "--log-level", "notice",
        ]
        arguments += runs.flatMap { ["--run", $0] }
        arguments += llm.arguments + extraArguments
        let process = try spawn(
            TestEnvironment.executable("fcsynth-worker"), arguments, environment: environment ?? self.environment,
            name: id)
        return WorkerProcess(id: id, process: process)
    }

    /// SIGTERM, then SIGKILL if it outlives `grace` seconds; returns its exit status.
    @discardableResult
    func stop(_ worker: WorkerProcess, grace: Double = 10) async throws -> Int32 {
        worker.process.signal(SIGTERM)
        if try await !Self.waitForExit(worker.process, timeout: grace) {
            worker.process.signal(SIGKILL)
            _ = try await Self.waitForExit(worker.process, timeout: 5)
        }
        return worker.process.terminationStatus ?? -1
    }

    /// Tasks the worker holds in its in-flight hash for `run`.
    func inflight(_ run: String, of worker: WorkerProcess) async throws -> Int {
        Int(try await redis.send("HLEN", keys(run).inflight(worker: worker.id)).integer ?? 0)
    }

    /// The `tasks=N` a worker logged with `message`, summed.
    static func loggedCount(of message: String, in log: String) -> Int {
        log.split(separator: "\n").filter { $0.contains(message) }.reduce(0) { total, line in
            total + (line.firstMatch(of: /tasks=(\d+)/).flatMap { Int($0.1) } ?? 0)
        }
    }
}
