import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Shared

/// An `fcsynth simulator` child process on a free loopback port, for tests that need a real HTTP endpoint.
public final class SimulatorProcess: Sendable {
    public enum Failure: Error, CustomStringConvertible {
        case didNotStart(String)
        case badStatus(Int)

        public var description: String {
            switch self {
            case .didNotStart(let reason): "the simulator did not start: \(reason)"
            case .badStatus(let status): "the simulator answered HTTP \(status)"
            }
        }
    }

    public let port: Int
    public let pid: Int32
    private let process: Process

    /// The OpenAI base URL: clients append `/chat/completions`.
    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }
    /// The server root, for `/health` and `/stats`.
    public var rootURL: String { "http://127.0.0.1:\(port)" }

    /// Starts `fcsynth simulator --port 0 --port-file …` with `arguments` added, and waits until it listens.
    /// `environment` adds to the test process's own (for `--require-key-env`).
    public static func start(
        _ arguments: [String] = [],
        environment: [String: String] = [:],
        timeout: Duration = .seconds(20)
    ) async throws -> SimulatorProcess {
        let portFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("fcsynth-simulator-\(UUID().uuidString).port").path
        let process = Process()
        process.executableURL = TestEnvironment.executable("fcsynth")
        process.arguments = ["simulator", "--port", "0", "--port-file", portFile] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8),
               let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return SimulatorProcess(port: port, process: process)
            }
            guard process.isRunning else {
                throw Failure.didNotStart("exited with status \(process.terminationStatus)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let simulator = SimulatorProcess(port: 0, process: process)
        simulator.stop()
        throw Failure.didNotStart("no port file after \(timeout)")
    }

    private init(port: Int, process: Process) {
        self.port = port
        self.pid = process.processIdentifier
        self.process = process
    }

    deinit {
        stop()
    }

    /// `GET /stats`.
    public func stats() async throws -> SimulatorStats {
        let (data, response) = try await URLSession.shared.data(from: URL(string: "\(rootURL)/stats")!)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else { throw Failure.badStatus(status) }
        return try JSONCoding.decode(SimulatorStats.self, from: data)
    }

    /// SIGTERM, then SIGKILL if it has not exited within `grace`; reaps the process.
    public func stop(grace: Duration = .seconds(3)) {
        guard process.isRunning else { return }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while process.isRunning, ContinuousClock.now < deadline {
            usleep(10_000)
        }
        if process.isRunning {
            kill(pid, SIGKILL)
        }
        process.waitUntilExit()
    }
}
