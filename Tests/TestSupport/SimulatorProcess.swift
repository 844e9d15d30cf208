import FcsynthCore
import FcsynthSimulatorServer
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

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
    private let logFile: String

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
        let base = FileManager.default.temporaryDirectory.appendingPathComponent(
            "fcsynth-simulator-\(UUID().uuidString)")
        let portFile = base.appendingPathExtension("port").path
        let logFile = base.appendingPathExtension("log").path
        // The log goes to a file rather than the test output; it explains a failed start.
        _ = FileManager.default.createFile(atPath: logFile, contents: nil)
        let process = Process()
        process.executableURL = TestEnvironment.executable("fcsynth")
        process.arguments = ["simulator", "--port", "0", "--port-file", portFile, "--exit-with-parent"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let log = FileHandle(forWritingAtPath: logFile)
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8),
                let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                return SimulatorProcess(port: port, process: process, logFile: logFile)
            }
            guard process.isRunning else {
                let log = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
                try? FileManager.default.removeItem(atPath: logFile)
                throw Failure.didNotStart("exited with status \(process.terminationStatus): \(log)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        SimulatorProcess(port: 0, process: process, logFile: logFile).stop()
        throw Failure.didNotStart("no port file after \(timeout)")
    }

    private init(port: Int, process: Process, logFile: String) {
        self.port = port
        self.pid = process.processIdentifier
        self.process = process
        self.logFile = logFile
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
        if process.isRunning {
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
        try? FileManager.default.removeItem(atPath: logFile)
    }
}
