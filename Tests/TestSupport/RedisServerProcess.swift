import Foundation
import Shared

/// A private redis-server for tests that restart it, protect it with a password or give
/// it ACL users. Its password sits in its config file, never in its arguments.
public final class RedisServerProcess: @unchecked Sendable {
    public let port: Int
    public let directory: URL
    private let configLines: [String]
    private var child: ChildProcess?

    public init(password: String? = nil, appendOnly: Bool = false, extraConfig: [String] = []) throws {
        port = Ports.free()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("fcsynth-redis-\(port)-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var lines = [
            "port \(port)", "bind 127.0.0.1", "dir \(directory.path)", "save \"\"",
            "appendonly \(appendOnly ? "yes" : "no")", "appendfsync always", "daemonize no", "protected-mode no",
        ]
        if let password { lines.append("requirepass \"\(password)\"") }
        configLines = lines + extraConfig
        try start()
    }

    public var url: RedisURL { RedisURL(host: "127.0.0.1", port: port) }

    public func url(username: String? = nil, password: String?) -> RedisURL {
        RedisURL(host: "127.0.0.1", port: port, username: username, password: password)
    }

    public func start() throws {
        let config = directory.appendingPathComponent("redis.conf")
        try configLines.joined(separator: "\n").write(to: config, atomically: true, encoding: .utf8)
        child = try ChildProcess(executable: URL(fileURLWithPath: Self.serverPath), arguments: [config.path], logName: "redis-\(port)")
        guard Ports.waitUntilListening(port) else {
            throw RedisError.unavailable("test redis-server did not start on port \(port): \(child?.output ?? "")")
        }
    }

    public func stop() {
        child?.stop()
        child = nil
    }

    /// Stops the server and starts it again on the same port and data directory.
    public func restart(downFor seconds: Double = 0) throws {
        stop()
        if seconds > 0 { usleep(UInt32(seconds * 1_000_000)) }
        try start()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    private static var serverPath: String {
        for path in ["/usr/bin/redis-server", "/usr/local/bin/redis-server"] where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        return "/usr/bin/redis-server"
    }
}
