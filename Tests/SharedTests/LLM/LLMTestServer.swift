import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Shared
import TestSupport

/// The HTTP simulator these tests talk to: the one the test command started, if any.
enum LLMTestServer {
    struct Stats: Decodable {
        let requestsTotal: Int
        let byCall: [String: Int]
        let jsonMode: Int

        enum CodingKeys: String, CodingKey {
            case requestsTotal = "requests_total"
            case byCall = "by_call"
            case jsonMode = "json_mode"
        }
    }

    static func baseURL() throws -> String {
        guard let url = TestEnvironment.llmURL else { throw SkipReason.noServer }
        return url
    }

    static func stats() async throws -> Stats {
        let root = try baseURL().replacingOccurrences(of: "/v1", with: "")
        let (data, _) = try await URLSession.shared.data(from: URL(string: root + "/stats")!)
        return try JSONDecoder().decode(Stats.self, from: data)
    }

    enum SkipReason: Error { case noServer }
}
