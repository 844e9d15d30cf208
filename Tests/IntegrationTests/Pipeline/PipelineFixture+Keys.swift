import Foundation
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

extension PipelineFixture {
    /// Every key in this fixture's namespace is one `RunKeys` names: what docs/redis-keys.md
    /// lists is all a run leaves in Redis.
    func expectOnlyRunKeys(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let stages = StageName.allCases.map(\.rawValue).joined(separator: "|")
        let patterns = try RunKeys.patterns(namespace: namespace).map { pattern in
            try Regex(
                NSRegularExpression.escapedPattern(for: pattern)
                    .replacingOccurrences(of: "RUN", with: "[A-Za-z0-9._-]+")
                    .replacingOccurrences(of: "STAGE", with: "(?:\(stages))")
                    .replacingOccurrences(of: "WORKER", with: ".+")
                    .replacingOccurrences(of: "XXXX", with: "[0-9a-f]{4}"))
        }
        var cursor = "0"
        var seen = 0
        repeat {
            let reply = try await redis.send("SCAN", cursor, "MATCH", "\(namespace):*", "COUNT", 1000)
            cursor = reply.array?.first?.string ?? "0"
            for key in reply.array?.last?.array?.compactMap(\.string) ?? [] {
                seen += 1
                #expect(
                    patterns.contains { key.wholeMatch(of: $0) != nil }, "\(key) is no key RunKeys names",
                    sourceLocation: sourceLocation)
            }
        } while cursor != "0"
        #expect(seen > 0, sourceLocation: sourceLocation)
    }
}
