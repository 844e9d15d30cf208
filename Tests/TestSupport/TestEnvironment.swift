import Foundation

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

    public static func executable(_ name: String) -> URL {
        productsDirectory.appendingPathComponent(name)
    }

    /// The Redis server the test command started (`FCSYNTH_TEST_REDIS_URL`).
    public static var redisURL: String? {
        ProcessInfo.processInfo.environment["FCSYNTH_TEST_REDIS_URL"]
    }

    /// The HTTP simulator the test command started (`FCSYNTH_TEST_LLM_URL`).
    public static var llmURL: String? {
        ProcessInfo.processInfo.environment["FCSYNTH_TEST_LLM_URL"]
    }
}
