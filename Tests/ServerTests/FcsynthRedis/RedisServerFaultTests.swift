import Foundation
import TestSupport
import Testing

@testable import FcsynthRedis

/// Tests that need a redis-server of their own, to restart it or give it credentials.
@Suite struct RedisServerFaultTests {
    @Test func reconnectsAfterTheServerRestarts() async throws {
        let server = try RedisServerProcess(appendOnly: true)
        let client = RedisClient(url: server.url, options: .patient(waitingUpTo: 20))
        try await client.send("SET", "k", "before")
        let generation = client.connectionGeneration
        try server.restart(downFor: 0.5)
        // The first command after the restart may be lost with the old connection; it says so.
        do {
            try await client.send("PING")
        } catch {
            #expect(error.isConnectionError)
        }
        #expect(try await client.send("GET", "k") == .bulk(Data("before".utf8)))
        #expect(client.connectionGeneration > generation)
    }

    @Test func waitsOutAnOutageThenSends() async throws {
        let server = try RedisServerProcess()
        let client = RedisClient(url: server.url, options: .patient(waitingUpTo: 20))
        try await client.send("PING")
        server.stop()
        _ = try? await client.send("PING")
        let pending = Task { try await client.send("SET", "k", "during") }
        try await Task.sleep(for: .milliseconds(500))
        try server.start()
        #expect(try await pending.value == .status("OK"))
    }

    @Test func authenticatesWithAPassword() async throws {
        let server = try RedisServerProcess(password: "correct horse")
        let client = RedisClient(url: server.url(password: "correct horse"), options: .failFast)
        #expect(try await client.send("PING") == .status("PONG"))
    }

    @Test func wrongPasswordIsOneClearError() async throws {
        let server = try RedisServerProcess(password: "correct horse")
        let admin = RedisClient(url: server.url(password: "correct horse"), options: .failFast)
        let before = try await Self.authCalls(admin)
        // Patient: a client that waits out outages must still not retry refused credentials.
        let client = RedisClient(url: server.url(password: "battery staple"), options: .patient(waitingUpTo: 30))
        var failure: RedisError?
        do {
            try await client.send("PING")
        } catch {
            failure = error
        }
        guard case .authentication(let message) = failure else {
            Issue.record("expected an authentication error, got \(String(describing: failure))")
            return
        }
        #expect(message.hasPrefix("WRONGPASS"))
        #expect(!message.contains("battery staple"))
        let after = try await Self.authCalls(admin)
        #expect(after.calls - before.calls == 1, "AUTH sent \(after.calls - before.calls) times")
        #expect(after.failed - before.failed == 1)
    }

    /// The server's count of AUTH commands, and of those it refused (`INFO commandstats`).
    private static func authCalls(_ admin: RedisClient) async throws -> (calls: Int, failed: Int) {
        let info = try await admin.send("INFO", "commandstats").string ?? ""
        let line = info.split(whereSeparator: \.isNewline).first { $0.hasPrefix("cmdstat_auth:") } ?? ""
        var fields: [Substring: Int] = [:]
        for field in line.dropFirst("cmdstat_auth:".count).split(separator: ",") {
            let pair = field.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { fields[pair[0]] = Int(pair[1]) }
        }
        return (fields["calls"] ?? 0, fields["failed_calls"] ?? 0)
    }

    @Test func missingPasswordIsAnAuthenticationError() async throws {
        let server = try RedisServerProcess(password: "pw")
        let client = RedisClient(url: server.url, options: .failFast)
        await #expect {
            try await client.send("PING")
        } throws: { error in
            if case .authentication(let message) = error as? RedisError { return message.contains("NOAUTH") }
            return false
        }
    }

    @Test func authenticatesAsAnACLUserAndSelectsTheDatabase() async throws {
        let server = try RedisServerProcess(extraConfig: ["user alice on >wonderland ~app:* +@all"])
        var url = server.url(username: "alice", password: "wonderland")
        url.database = 3
        let client = RedisClient(url: url, options: .failFast)
        try await client.send("SET", "app:x", "1")
        await #expect(throws: RedisError.self) { try await client.send("SET", "other:x", "1") }
        let admin = RedisClient(url: server.url)
        try await admin.send("SELECT", 3)
        #expect(
            try await admin.execute([RedisCommand("SELECT", 3), RedisCommand("GET", "app:x")])[1]
                == .bulk(Data("1".utf8)))
    }
}
