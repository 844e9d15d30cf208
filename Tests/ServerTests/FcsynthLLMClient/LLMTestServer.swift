import Foundation
@testable import FcsynthCore
@testable import FcsynthSimulatorServer
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport

/// The HTTP simulator one test talks to: the one the test command started (`FCSYNTH_TEST_LLM_URL`)
/// when the test needs no particular settings, else an `fcsynth simulator` child of its own.
struct LLMTestServer: Sendable {
    let baseURL: String
    private let rootURL: String
    private let process: SimulatorProcess?

    static func start(_ arguments: [String] = [], environment: [String: String] = [:]) async throws -> LLMTestServer {
        if arguments.isEmpty, environment.isEmpty, let url = TestEnvironment.llmURL {
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

    /// Stops a simulator this test started; a shared one stays up.
    func stop() {
        process?.stop()
    }
}
