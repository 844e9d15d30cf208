import FcsynthRedis
import FcsynthSystem
import Foundation

/// A Redis Sentinel set-up on loopback for one test: a master, its replicas and a few sentinels
/// watching it with short timeouts, so that a killed master is replaced within seconds.
/// Everything it starts stops with it, by PID.
public final class RedisSentinelGroup: @unchecked Sendable {
    public let masterName: String
    /// The data nodes' password (`requirepass`, and `masterauth` for the replicas).
    public let password: String?
    public let sentinelPassword: String?
    /// The data nodes; the first starts as the master.
    public let nodes: [RedisServerProcess]
    public let sentinels: [RedisSentinelProcess]
    /// Between the master and its replicas, when their link is slowed.
    private let replicationLink: LatencyProxy?

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public init(
        masterName: String = "fcsynth-test", password: String? = nil, sentinelPassword: String? = nil,
        replicas: Int = 1, sentinels count: Int = 3, downAfterMilliseconds: Int = 1000,
        failoverTimeoutMilliseconds: Int = 3000, appendOnly: Bool = true, replicationDelay: Duration? = nil
    ) throws {
        self.masterName = masterName
        self.password = password
        self.sentinelPassword = sentinelPassword
        let master = try RedisServerProcess(password: password, appendOnly: appendOnly)
        // A replica far from its master, or one that cannot keep up, is some way behind it: the
        // writes a failover loses. The replicas reach the master through a delaying proxy.
        replicationLink = try replicationDelay.map { try LatencyProxy(to: master.port, delay: $0) }
        // A replica must know the password, since it may become the master that others follow.
        let replicaConfig =
            ["replicaof 127.0.0.1 \(replicationLink?.port ?? master.port)"]
            + (password.map { ["masterauth \"\($0)\""] } ?? [])
        nodes =
            [master]
            + (try (0..<replicas).map { _ in
                try RedisServerProcess(password: password, appendOnly: appendOnly, extraConfig: replicaConfig)
            })
        let settings = RedisSentinelProcess.Settings(
            masterName: masterName, masterPort: master.port, quorum: count / 2 + 1, dataPassword: password,
            sentinelPassword: sentinelPassword, downAfterMilliseconds: downAfterMilliseconds,
            failoverTimeoutMilliseconds: failoverTimeoutMilliseconds)
        sentinels = try (0..<count).map { _ in try RedisSentinelProcess(settings) }
    }

    /// `redis+sentinel://[:password@]127.0.0.1:P1,127.0.0.1:P2,…/MASTER`.
    public var url: RedisURL {
        RedisURL(
            password: password,
            sentinels: RedisSentinels(
                masterName: masterName,
                addresses: sentinels.map { RedisAddress(host: "127.0.0.1", port: $0.port) }))
    }

    /// A client of one data node itself, not through the sentinels.
    public func directClient(_ node: RedisServerProcess) -> RedisClient {
        RedisClient(url: node.url(password: password), options: .failFast)
    }

    /// The data node listening on `address`.
    public func node(at address: RedisAddress) -> RedisServerProcess? {
        nodes.first { $0.port == address.port }
    }

    /// The master as the first sentinel that answers names it.
    public func master() async -> RedisAddress? {
        for sentinel in sentinels {
            let client = sentinelClient(sentinel)
            defer { client.close() }
            if let reply = try? await client.send("SENTINEL", "get-master-addr-by-name", masterName).array,
                reply.count == 2, let host = reply[0].string, let port = reply[1].string.flatMap(Int.init)
            {
                return RedisAddress(host: host, port: port)
            }
        }
        return nil
    }

    /// Waits until every replica is in sync with the master and every sentinel knows every
    /// replica and every other sentinel: before that, a failover could not happen.
    public func waitUntilReady(timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        var last = "not asked yet"
        while ContinuousClock.now < deadline {
            if let missing = await whatIsMissing() {
                last = missing
            } else {
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw Failure(description: "the sentinel group was not ready within \(timeout): \(last)\n\(logTails())")
    }

    private func whatIsMissing() async -> String? {
        let master = directClient(nodes[0])
        defer { master.close() }
        let info = (try? await master.send("INFO", "replication").string) ?? ""
        let online = info.split(whereSeparator: \.isNewline).filter {
            $0.hasPrefix("slave") && $0.contains("state=online")
        }
        if online.count < nodes.count - 1 { return "\(online.count) of \(nodes.count - 1) replicas online" }
        for sentinel in sentinels {
            let client = sentinelClient(sentinel)
            defer { client.close() }
            let replicas = (try? await client.send("SENTINEL", "replicas", masterName).array) ?? []
            let healthy = replicas.filter { $0.fieldValues["flags"]?.string == "slave" }
            if healthy.count < nodes.count - 1 { return "sentinel \(sentinel.port) knows \(healthy.count) replicas" }
            let others = (try? await client.send("SENTINEL", "sentinels", masterName).array) ?? []
            if others.count < sentinels.count - 1 { return "sentinel \(sentinel.port) knows \(others.count) others" }
        }
        return nil
    }

    public func sentinelClient(_ sentinel: RedisSentinelProcess) -> RedisClient {
        RedisClient(url: RedisURL(port: sentinel.port, password: sentinelPassword), options: .failFast)
    }

    /// The last lines of every sentinel's log, for a failure message.
    public func logTails(lines: Int = 12) -> String {
        sentinels.map { sentinel in
            "--- sentinel \(sentinel.port):\n"
                + sentinel.output.split(separator: "\n").suffix(lines).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    deinit {
        for sentinel in sentinels { sentinel.stop() }
        for node in nodes { node.stop() }
        replicationLink?.stop()
    }
}
