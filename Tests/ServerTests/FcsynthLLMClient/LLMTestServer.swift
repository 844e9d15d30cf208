import Foundation
import TestSupport

@testable import FcsynthCore
@testable import FcsynthSimulatorServer

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The HTTP simulator one test talks to: the one the test command started (`FCSYNTH_TEST_LLM_URL`)
/// when the test needs no particular settings, else an `fcsynth simulator` child of its own.
/// A test that reads gauges other tests move (open or hung connections) asks for its `own`.
struct LLMTestServer: Sendable {
    let baseURL: String
    private let rootURL: String
    private let process: SimulatorProcess?

    static func start(
        _ arguments: [String] = [], environment: [String: String] = [:], own: Bool = false
    ) async throws -> LLMTestServer {
        if !own, arguments.isEmpty, environment.isEmpty, let url = TestEnvironment.llmURL {
            var root = Substring(url)
            while root.hasSuffix("/") { root = root.dropLast() }
            if root.hasSuffix("/v1") { root = root.dropLast(3) }
            return LLMTestServer(baseURL: url, rootURL: String(root), process: nil)
        }
        let process = try await SimulatorProcess.start(arguments, environment: environment)
        return LLMTestServer(baseURL: process.baseURL, rootURL: process.rootURL, process: process)
    }

    func stats() async throws -> SimulatorStats {
        let (data, _) = try await URLSession.shared.data(from: URL(string: rootURL + "/stats")!)
        return try JSONCoding.decode(SimulatorStats.self, from: data)
    }

    /// Polls `/stats` until `condition` holds; false if it still does not after `ceiling`,
    /// which only a broken client reaches.
    func eventually(within ceiling: Duration = .seconds(30), _ condition: (SimulatorStats) -> Bool) async throws -> Bool
    {
        let deadline = ContinuousClock.now + ceiling
        while ContinuousClock.now < deadline {
            if condition(try await stats()) { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return condition(try await stats())
    }

    /// Stops a simulator this test started; a shared one stays up.
    func stop() {
        process?.stop()
    }
}
