import FcsynthRedis
import FcsynthSystem
import Foundation

/// A private redis-server for `fcsynth run` when none is configured: a free loopback port,
/// a scratch folder, stopped by its PID at the end.
final class LocalRedis {
    let url: RedisURL
    private let process: ChildProcess
    private let directory: URL

    init(scratch: URL) throws {
        let port = Ports.free()
        directory = scratch.appendingPathComponent("redis")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("redis.conf")
        try ["port \(port)", "bind 127.0.0.1", "dir \(directory.path)", "save \"\"", "appendonly no", "daemonize no"]
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

    func stop() {
        process.stop()
    }
}
