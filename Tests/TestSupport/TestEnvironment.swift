import FcsynthRedis
import Foundation
import Synchronization

/// Where the tests find what the test command started and what the build made.
public enum TestEnvironment {
    /// The folder holding `fcsynth` and `fcsynth-worker`: the test bundle's own folder.
    public static var productsDirectory: URL {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("fcsynth").path) {
                return url
            }
            url.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    /// The repository, found by walking up from this file to Package.swift.
    public static let repository: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path), url.path != "/"
        {
            url.deleteLastPathComponent()
        }
        return url
    }()

    public static func executable(_ name: String) -> URL {
        productsDirectory.appendingPathComponent(name)
    }

    /// The Redis server the test command started (`FCSYNTH_TEST_REDIS_URL`).
    public static var redisURL: String? {
        ProcessInfo.processInfo.environment["FCSYNTH_TEST_REDIS_URL"]
    }

    /// The test run's Redis: the one the test command started, or else one started for
    /// this test process alone.
    public static func redis() throws -> RedisURL {
        if let text = redisURL { return try RedisURL(parsing: text) }
        return try fallbackRedis.withLock { server in
            if server == nil {
                server = try RedisServerProcess()
                atexit { TestEnvironment.fallbackRedis.withLock { $0?.stop() } }
            }
            return server!.url
        }
    }

    private static let fallbackRedis = Mutex<RedisServerProcess?>(nil)

    /// A namespace of keys no other test uses, since Swift Testing runs tests in parallel.
    public static func uniqueName(_ prefix: String = "t") -> String {
        "\(prefix)-\(UUID().uuidString.prefix(12).lowercased())"
    }

    /// The HTTP simulator the test command started (`FCSYNTH_TEST_LLM_URL`).
    public static var llmURL: String? {
        ProcessInfo.processInfo.environment["FCSYNTH_TEST_LLM_URL"]
    }
}
