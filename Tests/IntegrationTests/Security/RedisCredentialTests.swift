import Foundation
import TestSupport
import Testing

@testable import FcsynthPipeline
@testable import FcsynthRedis
@testable import FcsynthSystem

/// fcsynth under a Redis ACL user limited to its namespace and commands (the line in
/// docs/operations.md), with the password kept out of arguments, logs and Redis.
@Suite struct RedisCredentialTests {
    static let password = "acl-pw-7f3a9c"
    static let aclLine =
        "user fcsynth on >\(password) ~fcsynth:* resetchannels -@all +ping +time +pttl +select +evalsha +script|load +get +set +exists +del +unlink +scan +hset +hsetnx +hget +hmget +hgetall +hincrby +hincrbyfloat +hdel +hlen +sadd +srem +smembers +sismember +rpush +lpush +lpop +llen +pexpire +zadd +zrem +zcard +zrangebyscore +xadd +xlen +xrange +xread +xtrim +lrange +lrem +zscore +zrange +hkeys +hexists +hstrlen +scard +multi +exec"

    @Test func runsUnderTheDocumentedACLUserWithoutLeakingThePassword() async throws {
        let server = try RedisServerProcess(extraConfig: ["user default off", Self.aclLine])
        let documented = try String(contentsOfFile: Self.repositoryFile("docs/operations.md"), encoding: .utf8)
        #expect(documented.contains(Self.aclLine.replacingOccurrences(of: Self.password, with: "PASSWORD")))

        let output = FileManager.default.temporaryDirectory.appendingPathComponent(
            "\(TestEnvironment.uniqueName("acl")).jsonl")
        // A model with some latency keeps the workers alive long enough to be looked at, and it
        // refuses calls without the API key, so the key must reach the workers, by environment.
        let apiKey = "sk-test-4b1d9e"
        let simulator = try await SimulatorProcess.start(
            ["--latency-ms", "100", "--require-key-env", "FCSYNTH_SIM_KEY"],
            environment: ["FCSYNTH_SIM_KEY": apiKey])
        defer { simulator.stop() }
        var environment = ProcessInfo.processInfo.environment
        environment["FCSYNTH_REDIS_URL"] = "redis://fcsynth:\(Self.password)@127.0.0.1:\(server.port)"
        environment["FCSYNTH_LLM_URL"] = simulator.baseURL
        environment["FCSYNTH_MODEL"] = "sim"
        environment["FCSYNTH_API_KEY"] = apiKey
        let run = try ChildProcess(
            executable: TestEnvironment.executable("fcsynth"),
            arguments: [
                "run", Self.repositoryFile("example_data/seed_chats.jsonl"), "--workers", "2",
                "--run", "acl", "--output", output.path,
            ],
            environment: environment, logName: "acl-run")
        var sawWorkers = false
        // A ceiling for a stuck run, not a bound on a busy machine.
        let deadline = Date(timeIntervalSinceNow: 900)
        while run.isRunning && Date() < deadline {
            for pid in Self.children(of: run.pid) {
                sawWorkers = true
                #expect(!Self.commandLine(of: pid).contains(Self.password))
                #expect(!Self.commandLine(of: pid).contains(apiKey))
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(await run.exited(within: 1))
        #expect(run.terminationStatus == 0, "\(run.output)")
        #expect(sawWorkers)
        #expect(!run.output.contains(Self.password) && !run.output.contains(apiKey))
        #expect(try await simulator.stats().authorized > 0)
        let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
        // 70 rows, less what the filters take (near-duplicates among them).
        #expect(lines.count > 20)

        let admin = RedisClient(url: server.url(username: "fcsynth", password: Self.password), options: .failFast)
        var cursor = "0"
        repeat {
            let reply = try await admin.send("SCAN", cursor, "COUNT", 1000)
            cursor = reply.array?[0].string ?? "0"
            for key in reply.array?[1].array?.compactMap(\.string) ?? [] {
                #expect(!key.contains(Self.password) && !key.contains(apiKey))
                if key.hasSuffix(":settings") {
                    let settings = try await admin.send("GET", key).string ?? ""
                    #expect(!settings.contains(Self.password) && !settings.contains(apiKey))
                }
            }
        } while cursor != "0"
    }

    /// A user short of one command the scripts call would lose tasks to a claim stopped
    /// half-way: each process refuses to start instead, naming the command, and writes nothing.
    @Test func aUserShortOfAScriptCommandIsRefusedAtStartNamingIt() async throws {
        let short = Self.aclLine.replacingOccurrences(of: " +sismember", with: "")
        #expect(short != Self.aclLine)
        let server = try RedisServerProcess(extraConfig: ["user default off", short])
        let url = server.url(username: "fcsynth", password: Self.password)
        let client = RedisClient(url: url, options: .failFast)
        defer { client.close() }
        await #expect(throws: RedisError.commandsDenied(["SISMEMBER"])) {
            try await PipelineScripts.load(into: client)
        }

        var environment = ProcessInfo.processInfo.environment
        environment["FCSYNTH_REDIS_URL"] = "redis://fcsynth:\(Self.password)@127.0.0.1:\(server.port)"
        let worker = try ChildProcess(
            executable: TestEnvironment.executable("fcsynth-worker"), arguments: ["--simulate"],
            environment: environment, logName: "acl-short-worker")
        #expect(await worker.exited(within: 60))
        #expect(worker.terminationStatus != 0)
        #expect(worker.output.contains("may not run SISMEMBER"), "\(worker.output)")
        #expect(!worker.output.contains(Self.password))
        let keys = try await client.send("SCAN", "0", "COUNT", 1000).array?[1].array ?? []
        #expect(keys.isEmpty)
    }

    @Test func aWrongPasswordIsOneClearErrorFromTheCommandLine() async throws {
        let server = try RedisServerProcess(password: "right-one")
        var environment = ProcessInfo.processInfo.environment
        environment["FCSYNTH_REDIS_URL"] = "redis://:wrong-one@127.0.0.1:\(server.port)"
        let status = try ChildProcess(
            executable: TestEnvironment.executable("fcsynth"), arguments: ["status"],
            environment: environment, logName: "wrong-password")
        #expect(await status.exited(within: 10))
        #expect(status.terminationStatus != 0)
        #expect(status.output.contains("refused the credentials"))
        #expect(!status.output.contains("wrong-one"))
    }

    @Test func tlsURLsAreRefusedWithTheTunnelAdvice() async throws {
        var environment = ProcessInfo.processInfo.environment
        environment["FCSYNTH_REDIS_URL"] = "rediss://u:secret-tls@127.0.0.1:6380"
        let status = try ChildProcess(
            executable: TestEnvironment.executable("fcsynth"), arguments: ["status"],
            environment: environment, logName: "rediss")
        #expect(await status.exited(within: 10))
        #expect(status.terminationStatus != 0)
        #expect(status.output.contains("TLS tunnel"))
        #expect(!status.output.contains("secret-tls"))
    }

    static func repositoryFile(_ path: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(path).path
    }

    static func children(of parent: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && Int32(fields[1]) == parent
        }
    }

    static func commandLine(of pid: pid_t) -> String {
        let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data()
        return String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
    }
}
