import FcsynthSystem
import Foundation

/// One redis-sentinel (`redis-server CONFIG --sentinel`) on a free loopback port, watching one
/// master. Passwords sit in its config file, never in its arguments; the sentinel rewrites
/// that file as it learns the group, so it lives in a folder of its own.
public final class RedisSentinelProcess: @unchecked Sendable {
    public private(set) var port: Int
    public let directory: URL
    private var child: ChildProcess?

    public struct Settings: Sendable {
        public var masterName: String
        public var masterPort: Int
        public var quorum: Int
        /// The data nodes' password, which the sentinel needs to watch and reconfigure them.
        public var dataPassword: String?
        /// The sentinel's own `requirepass`, which the sentinels also present to each other.
        public var sentinelPassword: String?
        public var downAfterMilliseconds: Int
        public var failoverTimeoutMilliseconds: Int

        public init(
            masterName: String, masterPort: Int, quorum: Int = 1, dataPassword: String? = nil,
            sentinelPassword: String? = nil, downAfterMilliseconds: Int = 60_000,
            failoverTimeoutMilliseconds: Int = 60_000
        ) {
            self.masterName = masterName
            self.masterPort = masterPort
            self.quorum = quorum
            self.dataPassword = dataPassword
            self.sentinelPassword = sentinelPassword
            self.downAfterMilliseconds = downAfterMilliseconds
            self.failoverTimeoutMilliseconds = failoverTimeoutMilliseconds
        }
    }

    public init(_ settings: Settings) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            TestEnvironment.uniqueName("fcsynth-sentinel"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = Ports.free()
        // A port another test's server took since it was chosen: pick another and try again.
        var log = ""
        for _ in 0..<5 {
            let child = try start(settings)
            if Ports.waitUntilListening(port), waitForMonitor(child) {
                self.child = child
                return
            }
            child.stop(grace: 1)
            log = child.output
            guard log.contains("Address already in use") else { break }
            port = Ports.free()
        }
        throw RedisSentinelGroup.Failure(description: "redis-sentinel did not start on \(port): \(log)")
    }

    private func start(_ settings: Settings) throws -> ChildProcess {
        let name = settings.masterName
        var lines = [
            "port \(port)", "bind 127.0.0.1", "daemonize no", "protected-mode no", "dir \(directory.path)",
            "sentinel monitor \(name) 127.0.0.1 \(settings.masterPort) \(settings.quorum)",
            "sentinel down-after-milliseconds \(name) \(settings.downAfterMilliseconds)",
            "sentinel failover-timeout \(name) \(settings.failoverTimeoutMilliseconds)",
            "sentinel parallel-syncs \(name) 1",
        ]
        if let password = settings.dataPassword { lines.append("sentinel auth-pass \(name) \"\(password)\"") }
        if let password = settings.sentinelPassword {
            lines += ["requirepass \"\(password)\"", "sentinel sentinel-pass \"\(password)\""]
        }
        let config = directory.appendingPathComponent("sentinel.conf")
        try (lines.joined(separator: "\n") + "\n").write(to: config, atomically: true, encoding: .utf8)
        return try ChildProcess(
            executable: URL(fileURLWithPath: "/usr/bin/redis-server"), arguments: [config.path, "--sentinel"],
            logURL: directory.appendingPathComponent("sentinel-\(port).log"))
    }

    /// Its own log says it watches the master: something else on the port does not count.
    private func waitForMonitor(_ child: ChildProcess) -> Bool {
        for _ in 0..<500 {
            if child.output.contains("+monitor master") { return true }
            if !child.isRunning { return false }
            usleep(20_000)
        }
        return false
    }

    /// What the sentinel logged: `+sdown`, `+odown`, `+switch-master` and the rest.
    public var output: String { child?.output ?? "" }

    public func stop() {
        child?.stop()
        child = nil
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
