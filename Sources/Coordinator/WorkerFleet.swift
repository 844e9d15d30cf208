import FcsynthBackends
import FcsynthRedis
import FcsynthSystem
import Foundation

/// The worker processes `fcsynth run` and `fcsynth estimate` start beside themselves, serving
/// the runs named. Secrets reach them through the environment, never their arguments.
final class WorkerFleet {
    private var processes: [ChildProcess] = []

    init(
        count: Int, redisURL: RedisURL, runs: [String], namespace: String, concurrency: Int,
        backend: LLMBackendChoice, llmURL: String?, model: String?, judge: (url: String?, model: String?),
        logDirectory: URL
    ) throws {
        let binary = Self.siblingExecutable("fcsynth-worker")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw WorkerFleetError.workerNotFound(path: binary.path)
        }
        var environment = ProcessInfo.processInfo.environment
        environment["FCSYNTH_REDIS_URL"] = redisURL.secretText
        // Each worker would bind the same port, and the first one beside a fleet worker's.
        environment.removeValue(forKey: "FCSYNTH_METRICS_PORT")
        var arguments = runs.flatMap { ["--run", $0] }
        arguments += ["--namespace", namespace, "--concurrency", String(concurrency), "--drain-grace", "5"]
        // Within the 10 s `stop` gives each worker before SIGKILL.
        arguments += ["--drain-timeout", "9"]
        switch backend {
        case .simulated:
            arguments.append("--simulate")
        case .http:
            if let llmURL { environment["FCSYNTH_LLM_URL"] = llmURL }
            if let model { environment["FCSYNTH_MODEL"] = model }
        }
        if let url = judge.url { environment["FCSYNTH_JUDGE_LLM_URL"] = url }
        if let model = judge.model { environment["FCSYNTH_JUDGE_MODEL"] = model }
        for index in 0..<max(1, count) {
            processes.append(
                try ChildProcess(
                    executable: binary, arguments: arguments + ["--id", "local-\(getpid())-\(index)"],
                    environment: environment, logURL: logDirectory.appendingPathComponent("worker-\(index).log")))
        }
    }

    /// A worker that exited on its own, with the end of its log.
    func failure() -> Error? {
        guard let dead = processes.first(where: { !$0.isRunning }) else { return nil }
        let tail = dead.output.split(separator: "\n").suffix(5).joined(separator: "\n")
        return WorkerFleetError.workerExited(status: dead.terminationStatus ?? -1, logTail: tail)
    }

    func stop() {
        for process in processes { process.signal(SIGTERM) }
        for process in processes { process.stop(grace: 10) }
    }

    private static func siblingExecutable(_ name: String) -> URL {
        let me =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent(name)
    }
}
