import Foundation

/// The repository's files the tests read, found from this file's path by walking up to
/// Package.swift, so that moving a test file between folders cannot point it elsewhere.
enum Repository {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path), url.path != "/"
        {
            url.deleteLastPathComponent()
        }
        return url
    }()

    static let seedChats = root.appendingPathComponent("example_data/seed_chats.jsonl")
}
