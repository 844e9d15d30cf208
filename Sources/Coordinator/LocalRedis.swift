import Foundation
import Shared

/// A private redis-server for `fcsynth run` when none is configured: a free loopback port,
/// a scratch folder, stopped by its PID at the end.
final class LocalRedis {
    let url: RedisURL
    private let process: ChildProcess
    private let directory: URL

    init(scratch: URL) throws {
        let port = try Self.freePort()
        directory = scratch.appendingPathComponent("redis")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("redis.conf")
        try ["port \(port)", "bind 127.0.0.1", "dir \(directory.path)", "save \"\"", "appendonly no", "daemonize no"]
            .joined(separator: "\n").write(to: config, atomically: true, encoding: .utf8)
        guard let server = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw PipelineError.invalidOption("redis-server is not installed (apt-get install redis-server), and FCSYNTH_REDIS_URL is not set")
        }
        process = try ChildProcess(executable: URL(fileURLWithPath: server), arguments: [config.path],
                                   logURL: directory.appendingPathComponent("redis.log"))
        url = RedisURL(host: "127.0.0.1", port: port)
        let deadline = Date(timeIntervalSinceNow: 10)
        while !Self.accepts(port: port) {
            guard Date() < deadline, process.isRunning else {
                throw RedisError.unavailable("the private redis-server did not start: \(process.output)")
            }
            usleep(20_000)
        }
    }

    func stop() {
        process.stop()
    }

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { throw RedisError.unavailable("no free loopback port for a private redis-server") }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return address
    }
}
