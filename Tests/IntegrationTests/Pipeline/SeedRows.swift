import Foundation

@testable import FcsynthCore

/// Input files for the tests, made from the project's example seed chats.
enum SeedRows {
    /// `example_data/seed_chats.jsonl` at the package root.
    static let exampleFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("example_data/seed_chats.jsonl")

    /// The example rows, each as one JSON Lines line.
    static let examples: [[String: JSONValue]] = {
        let data = (try? Data(contentsOf: exampleFile)) ?? Data()
        return data.split(separator: UInt8(ascii: "\n")).compactMap {
            try? JSONCoding.decode(JSONValue.self, from: Data($0)).objectValue
        }
    }()

    /// `count` rows: the examples in turn, each chat made distinct by a variant note.
    static func lines(_ count: Int, startingAt first: Int = 0) throws -> [String] {
        guard !examples.isEmpty else { throw FixtureFailure("no rows in \(exampleFile.path)") }
        return try (first..<first + count).map { index in
            var row = examples[index % examples.count]
            row["chat"] = .string((row["chat"]?.stringValue ?? "") + "\n\nUSER: (variant \(index)) Thanks!")
            return try JSONCoding.encodeString(JSONValue.object(row))
        }
    }

    /// Writes `count` rows as a JSON Lines file.
    @discardableResult
    static func write(_ count: Int, to file: URL) throws -> URL {
        try (lines(count).joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        return file
    }
}
