import FcsynthSystem
import Foundation
import TestSupport
import Testing

@testable import FcsynthRedis

/// `redis+sentinel://` against real redis-sentinel processes: the master is asked of them at
/// every connection, a replica is refused, and each way of failing says what it tried.
@Suite struct RedisSentinelTests {
    static let password = "sentinel-data-pw-5e1"

    @Test func followsTheMasterThroughAFailover() async throws {
        let group = try RedisSentinelGroup(password: Self.password, sentinels: 1)
        try await group.waitUntilReady()
        let client = RedisClient(url: group.url, options: .patient(waitingUpTo: 60))
        defer { client.close() }
        try await client.send("SET", "k", "before")
        // On the replica before the master dies, so that this test is about following, not losing.
        let master = group.directClient(group.nodes[0])
        #expect(try await master.send("WAIT", 1, 5000).integer == 1)
        master.close()
        let generation = client.connectionGeneration

        group.nodes[0].kill()
        // The command on the wire when the master died fails once, as any client's would.
        var value: RedisReply?
        for _ in 0..<3 where value == nil {
            value = try? await client.send("GET", "k")
        }
        #expect(value == .bulk(Data("before".utf8)))
        #expect(client.connectionGeneration > generation)
        try await client.send("SET", "k", "after")
        #expect(await group.master() == RedisAddress(host: "127.0.0.1", port: group.nodes[1].port))
        let promoted = group.directClient(group.nodes[1])
        defer { promoted.close() }
        #expect(try await promoted.send("GET", "k") == .bulk(Data("after".utf8)))
    }

    @Test func refusesAReplicaTheSentinelNamesUntilItIsPromoted() async throws {
        let primary = try RedisServerProcess()
        let replica = try RedisServerProcess(extraConfig: ["replicaof 127.0.0.1 \(primary.port)"])
        // A sentinel that watches the replica as if it were the master, as one may for a moment
        // during a failover.
        let sentinel = try RedisSentinelProcess(.init(masterName: "wrong", masterPort: replica.port))
        let url = try RedisURL(parsing: "redis+sentinel://127.0.0.1:\(sentinel.port)/wrong")

        let impatient = RedisClient(url: url, options: .failFast)
        defer { impatient.close() }
        await #expect {
            try await impatient.send("SET", "k", "v")
        } throws: { error in
            guard case .unavailable(let message) = error as? RedisError else { return false }
            return message.contains("127.0.0.1:\(replica.port)") && message.contains("is a replica")
                && message.contains("sentinel 127.0.0.1:\(sentinel.port)")
        }

        // A patient client asks again after a short wait, and writes once the node is a master.
        let patient = RedisClient(url: url, options: .patient(waitingUpTo: 60))
        defer { patient.close() }
        let pending = Task { try await patient.send("SET", "k", "v") }
        try await Task.sleep(for: .milliseconds(500))
        let direct = RedisClient(url: replica.url, options: .failFast)
        defer { direct.close() }
        #expect(try await direct.send("EXISTS", "k") == .integer(0))
        try await direct.send("REPLICAOF", "NO", "ONE")
        let reply = try await pending.value
        #expect(reply == .status("OK"))
        #expect(try await direct.send("GET", "k") == .bulk(Data("v".utf8)))
    }

    @Test func namesEverySentinelItTriedWhenNoneAnswers() async throws {
        let ports = [Ports.free(), Ports.free()]
        let url = try RedisURL(
            parsing: "redis+sentinel://:\(Self.password)@127.0.0.1:\(ports[0]),127.0.0.1:\(ports[1])/main")
        for options in [RedisClientOptions.failFast, RedisClientOptions(unavailableTimeout: 1)] {
            let client = RedisClient(url: url, options: options)
            defer { client.close() }
            await #expect {
                try await client.send("PING")
            } throws: { error in
                let text = "\(error)"
                guard case .unavailable = error as? RedisError else { return false }
                return text.contains("no sentinel named the master of \"main\"")
                    && ports.allSatisfy { text.contains("127.0.0.1:\($0)") } && !text.contains(Self.password)
            }
        }
    }

    @Test func aMasterNoSentinelKnowsFailsAtOnceWithTheName() async throws {
        let sentinel = try RedisSentinelProcess(.init(masterName: "known", masterPort: Ports.free()))
        // Patient: waiting out an outage must not mean asking sentinels that said no, again and again.
        let client = RedisClient(
            url: try RedisURL(parsing: "redis+sentinel://:\(Self.password)@127.0.0.1:\(sentinel.port)/unknown"),
            options: .patient(waitingUpTo: 600))
        defer { client.close() }
        await #expect {
            try await client.send("PING")
        } throws: { error in
            guard case .invalidURL(let message) = error as? RedisError else { return false }
            return message.contains("no sentinel knows a master named \"unknown\"")
                && message.contains("127.0.0.1:\(sentinel.port)") && !message.contains(Self.password)
        }
    }

    @Test func aNodeThatIsNoSentinelIsNamedAsSuch() async throws {
        let plain = try RedisServerProcess()
        let client = RedisClient(
            url: try RedisURL(parsing: "redis+sentinel://127.0.0.1:\(plain.port)/main"), options: .failFast)
        defer { client.close() }
        await #expect {
            try await client.send("PING")
        } throws: { error in
            guard case .invalidURL(let message) = error as? RedisError else { return false }
            return message.contains("127.0.0.1:\(plain.port): is not a sentinel")
        }
    }

    /// The URL's password is the data nodes'; a sentinel that requires one gets it too, and one
    /// that does not is sent no AUTH (which it would answer with an error).
    @Test func authenticatesToASentinelOnlyWhenItAsks() async throws {
        let guarded = try RedisSentinelGroup(
            password: Self.password, sentinelPassword: Self.password, replicas: 0, sentinels: 1)
        let client = RedisClient(url: guarded.url, options: .failFast)
        defer { client.close() }
        #expect(try await client.send("PING") == .status("PONG"))

        var anonymous = guarded.url
        anonymous.password = nil
        let refused = RedisClient(url: anonymous, options: .patient(waitingUpTo: 600))
        defer { refused.close() }
        await #expect {
            try await refused.send("PING")
        } throws: { error in
            guard case .authentication(let message) = error as? RedisError else { return false }
            return message.contains("requires a password, and the URL has none")
        }

        var wrong = guarded.url
        wrong.password = "not-the-password"
        let mistaken = RedisClient(url: wrong, options: .failFast)
        defer { mistaken.close() }
        await #expect {
            try await mistaken.send("PING")
        } throws: { error in
            guard case .authentication(let message) = error as? RedisError else { return false }
            return message.contains("WRONGPASS") && !message.contains("not-the-password")
        }

        let open = try RedisSentinelGroup(password: Self.password, replicas: 0, sentinels: 1)
        let plain = RedisClient(url: open.url, options: .failFast)
        defer { plain.close() }
        #expect(try await plain.send("PING") == .status("PONG"))
    }

    /// An ACL user limited to fcsynth's commands needs ROLE too under sentinels
    /// (docs/operations.md); without it the check fails once, clearly, and is not retried.
    @Test func anACLUserNeedsRoleUnderSentinels() async throws {
        var clients: [RedisClient] = []
        defer { for client in clients { client.close() } }
        for (grant, works) in [("+ping +role", true), ("+ping", false)] {
            let master = try RedisServerProcess(extraConfig: [
                "user fcsynth on >\(Self.password) ~fcsynth:* resetchannels -@all \(grant)"
            ])
            let sentinel = try RedisSentinelProcess(.init(masterName: "main", masterPort: master.port))
            let client = RedisClient(
                url: try RedisURL(parsing: "redis+sentinel://fcsynth:\(Self.password)@127.0.0.1:\(sentinel.port)/main"),
                options: .patient(waitingUpTo: 600))
            clients.append(client)
            if works {
                #expect(try await client.send("PING") == .status("PONG"))
            } else {
                await #expect {
                    try await client.send("PING")
                } throws: { error in
                    guard case .authentication(let message) = error as? RedisError else { return false }
                    return message.hasPrefix("ROLE: NOPERM")
                }
            }
        }
    }
}
