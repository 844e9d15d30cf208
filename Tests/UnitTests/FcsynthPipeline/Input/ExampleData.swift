import Foundation

/// The repository's `example_data`, found from this file's path so that moving a test file
/// between folders cannot point it elsewhere.
enum ExampleData {
    static let seedChats = repository.appendingPathComponent("example_data/seed_chats.jsonl")

    private static var repository: URL {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path), url.path != "/" {
            url.deleteLastPathComponent()
        }
        return url
    }
}
