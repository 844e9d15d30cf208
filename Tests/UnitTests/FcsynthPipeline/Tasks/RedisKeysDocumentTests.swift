import Foundation
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

/// docs/redis-keys.md against `RunKeys`: its tables list exactly the key patterns RunKeys
/// produces, so that neither can change without the other.
@Suite struct RedisKeysDocumentTests {
    static let document = Repository.root.appendingPathComponent("docs/redis-keys.md")

    /// The first cell of every table row that names a key: `| \`fcsynth:…\` | …`.
    static func documentedKeys(in text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            line.firstMatch(of: /^\| `(fcsynth:[^`]*)` \|/).map { String($0.1) }
        }
    }

    @Test func theDocumentListsExactlyTheKeysRunKeysProduces() throws {
        let text = try String(contentsOf: Self.document, encoding: .utf8)
        let documented = Self.documentedKeys(in: text)
        let patterns = RunKeys.patterns()
        #expect(Set(patterns).count == patterns.count)
        #expect(
            Set(patterns).subtracting(documented).isEmpty,
            "not in docs/redis-keys.md: \(Set(patterns).subtracting(documented).sorted())")
        #expect(
            Set(documented).subtracting(patterns).isEmpty,
            "documented but not in RunKeys: \(Set(documented).subtracting(patterns).sorted())")
        #expect(documented.count == Set(documented).count, "a key listed twice")
        for stage in StageName.allCases {
            #expect(text.contains("`\(stage.rawValue)`"), "the document names the stage \(stage.rawValue)")
        }
    }

    /// The check on a document that lost a row, or its pass means nothing.
    @Test func aDocumentWithoutAKeyFails() throws {
        let text = try String(contentsOf: Self.document, encoding: .utf8)
        let row = try #require(text.split(separator: "\n").first { $0.hasPrefix("| `fcsynth:{RUN}:sweep`") })
        let documented = Self.documentedKeys(in: text.replacingOccurrences(of: row + "\n", with: ""))
        #expect(!Set(RunKeys.patterns()).isSubset(of: documented))
    }
}
