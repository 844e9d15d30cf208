import FcsynthRedis
import FcsynthSystem
import Foundation

/// A private redis-server for `fcsynth run` when none is configured: a free loopback port,
/// its data kept (append-only file) in a state folder beside the output, so that the same
/// command run again after an interruption resumes; stopped by its PID at the end.
final class LocalRedis {
    let url: RedisURL
    /// Whether the folder held an earlier run's data when the server started.
    let resumed: Bool
    private let process: ChildProcess
    private let lock: StateDirectoryLock
    private let state: URL

    init(state: URL) throws {
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        guard let lock = try StateDirectoryLock(directory: state) else {
            throw LocalRedisError.stateInUse(path: state.path)
        }
        self.lock = lock
        self.state = state
        let directory = state.appendingPathComponent("redis")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // A server left by a coordinator that was killed outright would write the same files.
        let pidFile = directory.appendingPathComponent("redis.pid")
        if let text = try? String(contentsOf: pidFile, encoding: .utf8),
            let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), StateDirectoryLock.isAlive(pid: pid),
            (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8))?.contains("redis-server") == true
        {
            throw LocalRedisError.orphanRunning(pid: pid, path: state.path)
        }
        resumed = FileManager.default.fileExists(atPath: directory.appendingPathComponent("appendonlydir").path)
        let port = Ports.free()
        let config = directory.appendingPathComponent("redis.conf")
        try [
            "port \(port)", "bind 127.0.0.1", "dir \(directory.path)", "pidfile \(pidFile.path)", "save \"\"",
            "appendonly yes", "appendfsync everysec", "daemonize no",
        ]
        .joined(separator: "\n").write(to: config, atomically: true, encoding: .utf8)
        guard
            let server = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].first(
                where: FileManager.default.isExecutableFile(atPath:))
        else {
            throw LocalRedisError.notInstalled
        }
        process = try ChildProcess(
            executable: URL(fileURLWithPath: server), arguments: [config.path],
            logURL: directory.appendingPathComponent("redis.log"))
        url = RedisURL(host: "127.0.0.1", port: port)
        guard Ports.waitUntilListening(port), process.isRunning else {
            process.stop()
            throw LocalRedisError.didNotStart(log: process.output)
        }
    }

    var pid: pid_t { process.pid }

    func stop() {
        process.stop()
    }

    /// Stops the server and deletes the state folder: the run is complete and exported.
    func finish() throws {
        stop()
        try FileManager.default.removeItem(at: state)
        let parent = state.deletingLastPathComponent()
        if (try? FileManager.default.contentsOfDirectory(atPath: parent.path))?.isEmpty == true {
            try FileManager.default.removeItem(at: parent)
        }
    }
}
