import FcsynthRedis
import FcsynthSystem
import Foundation

/// A private redis-server for tests that restart it, kill it, protect it with a password, give
/// it ACL users or have it speak TLS alone. Its password sits in its config file, never in its
/// arguments.
public final class RedisServerProcess: @unchecked Sendable {
    public private(set) var port: Int
    public let directory: URL
    private var configLines: [String]
    private var child: ChildProcess?
    private var hasStarted = false

    /// With `tls`, the server listens on `port` for TLS connections alone (its certificate,
    /// signed by the test's CA) and has no plain port.
    public init(
        password: String? = nil, appendOnly: Bool = false, tls: TLSCertificates? = nil, extraConfig: [String] = []
    ) throws {
        port = Ports.free()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "fcsynth-redis-\(port)-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var lines = [
            "bind 127.0.0.1", "dir \(directory.path)", "save \"\"",
            "appendonly \(appendOnly ? "yes" : "no")", "appendfsync always", "daemonize no", "protected-mode no",
        ]
        if let tls {
            lines += [
                "port 0", "tls-port \(port)", "tls-cert-file \(tls.serverCertificate.path)",
                "tls-key-file \(tls.serverKey.path)", "tls-ca-cert-file \(tls.authority.path)", "tls-auth-clients no",
            ]
        } else {
            lines.append("port \(port)")
        }
        if let password { lines.append("requirepass \"\(password)\"") }
        configLines = lines + extraConfig
        try start()
    }

    public var url: RedisURL { RedisURL(host: "127.0.0.1", port: port) }

    public func url(username: String? = nil, password: String?) -> RedisURL {
        RedisURL(host: "127.0.0.1", port: port, username: username, password: password)
    }

    /// Starts the server; a port another test's server took meanwhile (the free port was only
    /// free when it was chosen) is swapped for a new one before the first start.
    public func start() throws {
        for attempt in 0..<5 {
            let config = directory.appendingPathComponent("redis.conf")
            try configLines.joined(separator: "\n").write(to: config, atomically: true, encoding: .utf8)
            let child = try ChildProcess(
                executable: URL(fileURLWithPath: Self.serverPath), arguments: [config.path], logName: "redis-\(port)")
            self.child = child
            if Ports.waitUntilListening(port), child.isRunning, waitForReady(child) {
                hasStarted = true
                return
            }
            child.stop()
            guard attempt < 4, !hasStarted, child.output.contains("Address already in use") else { break }
            let newPort = Ports.free()
            configLines = configLines.map {
                $0 == "port \(port)" ? "port \(newPort)" : $0 == "tls-port \(port)" ? "tls-port \(newPort)" : $0
            }
            port = newPort
        }
        throw RedisError.unavailable("test redis-server did not start on port \(port): \(child?.output ?? "")")
    }

    /// Its own log says it is ready: something else listening on the port does not count.
    private func waitForReady(_ child: ChildProcess) -> Bool {
        for _ in 0..<250 {
            if child.output.contains("Ready to accept connections") { return true }
            if !child.isRunning { return false }
            usleep(20_000)
        }
        return false
    }

    public func stop() {
        child?.stop()
        child = nil
    }

    /// SIGKILL: the server gets no chance to write, flush or tell its replicas anything.
    public func kill() {
        child?.signal(SIGKILL)
        _ = child?.waitForExit(timeout: 10)
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
        for path in ["/usr/bin/redis-server", "/usr/local/bin/redis-server"]
        where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        return "/usr/bin/redis-server"
    }
}
