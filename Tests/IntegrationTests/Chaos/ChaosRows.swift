import Foundation
import TestSupport

@testable import FcsynthCore

/// Input for chaos runs: the example seeds, repeated with varied openings so that every row
/// is an item of its own and no two read alike.
enum ChaosRows {
    private static let openings = [
        "Quick one", "Hello again", "Asking for a colleague", "Not urgent", "Before my meeting",
        "Follow-up", "On my phone", "Second try", "For next week", "Sorry to bother you",
        "New request", "While I wait",
    ]

    /// Writes `count` rows to a new temporary JSON Lines file; row N has item id "N".
    static func write(_ count: Int, name: String) throws -> URL {
        let seeds = try String(contentsOfFile: repositoryFile("example_data/seed_chats.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try JSONCoding.decode([String: JSONValue].self, from: Data($0.utf8)) }
        var text = ""
        for index in 0..<count {
            var row = seeds[index % seeds.count]
            let chat = row["chat"]?.stringValue ?? ""
            let opening = "\(openings[index % openings.count]) (#\(index + 1)). "
            row["chat"] = .string(chat.hasPrefix("USER: ") ? "USER: " + opening + chat.dropFirst(6) : opening + chat)
            text += try JSONCoding.encodeString(row) + "\n"
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "\(TestEnvironment.uniqueName(name)).jsonl")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static func repositoryFile(_ path: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(path).path
    }
}
