import Foundation

/// The repository's deploy/ folder, found from this source file: the tests read the files an
/// operator would use, not copies.
enum DeployFiles {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Deploy
        .deletingLastPathComponent()  // IntegrationTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    static func url(_ relativePath: String) -> URL {
        repository.appendingPathComponent("deploy").appendingPathComponent(relativePath)
    }

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: url(relativePath), encoding: .utf8)
    }

    /// A fresh folder under the system's temporary directory.
    static func scratchDirectory(_ prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
