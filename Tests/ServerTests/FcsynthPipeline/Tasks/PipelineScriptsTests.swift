import Foundation
import TestSupport
import Testing

@testable import FcsynthPipeline
@testable import FcsynthRedis

/// The scripts as a process loads them at start, and their headers against the keys their
/// Swift callers pass.
@Suite struct PipelineScriptsTests {
    static let scriptsFolder = TestEnvironment.repository.appendingPathComponent(
        "Sources/Shared/FcsynthPipeline/Tasks/Scripts")

    @Test func everyScriptLoadsIntoRedisAndReturnsItsSHA1() async throws {
        let client = RedisClient(url: try TestEnvironment.redis())
        defer { client.close() }
        let scripts = PipelineScripts.all.map(\.script)
        let hashes = try await client.load(scripts)
        #expect(hashes.count == scripts.count)
        for (script, sha) in zip(scripts, hashes) {
            #expect(sha.wholeMatch(of: /[0-9a-f]{40}/) != nil, "\(script.name): \(sha)")
        }
        #expect(Set(hashes).count == scripts.count)
        let exists = try await client.send(RedisCommand("SCRIPT", arguments: ["EXISTS"] + hashes)).array?.compactMap(
            \.integer)
        #expect(exists == Array(repeating: 1, count: scripts.count))
        try await PipelineScripts.load(into: client)
    }

    /// A worker started as Redis restarted exited with "Redis connection lost". The proxy holds
    /// each chunk for half a second each way, and the connection is killed meanwhile, so the
    /// load's reply is lost for certain: loading must reconnect and go again.
    @Test func loadingRidesOutAConnectionLostBeforeItsReply() async throws {
        let url = try TestEnvironment.redis()
        let proxy = try LatencyProxy(to: url.port, delay: .milliseconds(500))
        defer { proxy.stop() }
        var proxied = url
        proxied.port = proxy.port
        let client = RedisClient(url: proxied, options: .patient(waitingUpTo: 60))
        let admin = RedisClient(url: url)
        defer {
            client.close()
            admin.close()
        }
        let name = TestEnvironment.uniqueName("loader")
        try await client.send("CLIENT", "SETNAME", name)
        let generation = client.connectionGeneration
        let loading = Task { try await PipelineScripts.load(into: client) }
        try await Task.sleep(for: .milliseconds(300))
        let clients = try await admin.send("CLIENT", "LIST").string ?? ""
        let line = try #require(clients.split(whereSeparator: \.isNewline).first { $0.contains(" name=\(name) ") })
        let id = try #require(line.split(separator: " ").first { $0.hasPrefix("id=") }?.dropFirst(3))
        #expect(try await admin.send("CLIENT", "KILL", "ID", String(id)) == .integer(1))
        try await loading.value
        #expect(client.connectionGeneration > generation, "the connection was never lost")
    }

    @Test func aBrokenScriptIsAStartUpErrorNamingItAndRedissMessage() async throws {
        let client = RedisClient(url: try TestEnvironment.redis())
        defer { client.close() }
        let broken = RedisScript(
            name: "broken_\(TestEnvironment.uniqueName("lua"))", source: "local tasks = {\nreturn tasks")
        do {
            try await client.load(PipelineScripts.all.map(\.script) + [broken])
            Issue.record("Redis took a script that does not compile")
        } catch {
            guard case .scriptRejected(let name, let message) = error else {
                Issue.record("not a rejected script: \(error)")
                return
            }
            #expect(name == broken.name)
            #expect(message.contains("Error compiling script"), "\(message)")
            #expect(error.description == "Redis rejected the Lua script \(broken.name): \(message)")
        }
        // The same error at first use, for a script nothing loaded before.
        await #expect(throws: RedisError.self) { try await client.evaluate(broken, keys: [], arguments: []) }
    }

    @Test func everyScriptFileIsAPipelineScriptAndThePreludesAreInEach() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.scriptsFolder.path).filter {
            $0.hasSuffix(".lua")
        }
        let preludes = ["envelope.lua", "clock.lua", "memory.lua", "lsh.lua"]
        let alone = PipelineScripts.commandCheck
        #expect(
            Set(files) == Set(PipelineScripts.all.map { "\($0.script.name).lua" } + preludes + ["\(alone.name).lua"]))
        let check = try String(
            contentsOf: Self.scriptsFolder.appendingPathComponent("\(alone.name).lua"), encoding: .utf8)
        #expect(alone.source == check)
        let prelude = try preludes.map {
            try String(contentsOf: Self.scriptsFolder.appendingPathComponent($0), encoding: .utf8)
        }.joined()
        for script in PipelineScripts.all {
            let body = try String(
                contentsOf: Self.scriptsFolder.appendingPathComponent("\(script.script.name).lua"), encoding: .utf8)
            #expect(script.script.source == prelude + body, "\(script.script.name)")
        }
    }

    /// Redis checks a script's commands against the caller's ACL as it runs them, so a command
    /// missing from the documented user fails scripts half-way under that user alone.
    @Test func theDocumentedACLUserMayRunEveryCommandTheScriptsCall() throws {
        let operations = try String(
            contentsOf: TestEnvironment.repository.appendingPathComponent("docs/operations.md"), encoding: .utf8)
        let line = try #require(operations.split(separator: "\n").first { $0.contains("user fcsynth on ") })
        let allowed = Set(line.split(separator: " ").filter { $0.hasPrefix("+") }.map { String($0.dropFirst()) })
        #expect(allowed.isSuperset(of: ["evalsha", "script|load", "sismember"]))
        let missing = Set(PipelineScripts.calledCommands).subtracting(allowed)
        #expect(missing.isEmpty, "docs/operations.md's ACL user lacks \(missing.sorted())")
    }

    /// Every call in the scripts names its command literally, so that the list read from them is whole.
    @Test func theScriptsCallRedisOnlyByLiteralName() throws {
        for script in PipelineScripts.all {
            let calls = script.script.source.matches(of: /redis\.p?call\(/).count
            #expect(PipelineScripts.commands(calledIn: script.script.source).count == calls, "\(script.script.name)")
        }
        let source = "local a = redis.call('SISMEMBER', KEYS[1], x)\nredis.pcall( \"hset\", KEYS[2], 'f', 1)"
        #expect(PipelineScripts.commands(calledIn: source) == ["sismember", "hset"])
        #expect(PipelineScripts.commands(calledIn: "redis.call(op, KEYS[1])").isEmpty)
        #expect(PipelineScripts.calledCommands.contains("sismember") && PipelineScripts.calledCommands.contains("lpop"))
    }

    @Test(arguments: PipelineScripts.all.map(\.script.name))
    func theHeaderDocumentsExactlyTheKeysTheCallerPasses(name: String) throws {
        let script = try #require(PipelineScripts.all.first { $0.script.name == name })
        let documented = ScriptHeader.documentedKeys(in: script.script.source)
        #expect(!documented.isEmpty)
        #expect(documented == ScriptHeader.expectedKeys(of: script))
    }

    /// The check above on headers and key lists that disagree, or its passes mean nothing.
    @Test func theHeaderCheckCatchesADrift() {
        let claim = PipelineScripts.claim
        let source = claim.script.source
        let expected = ScriptHeader.expectedKeys(of: claim)
        #expect(ScriptHeader.documentedKeys(in: source) == expected)

        let misnamed = source.replacingOccurrences(
            of: "-- KEYS[2]: fcsynth:{RUN}:delayed", with: "-- KEYS[2]: fcsynth:{RUN}:dead")
        let dropped = source.replacingOccurrences(of: "-- KEYS[17]: fcsynth:{RUN}:q:scenario_extract\n", with: "")
        for changed in [misnamed, dropped] {
            #expect(changed != source)
            #expect(ScriptHeader.documentedKeys(in: changed) != expected)
        }

        let reordered = PipelineScript(script: claim.script, keys: Array(claim.keys.reversed()))
        #expect(ScriptHeader.documentedKeys(in: source) != ScriptHeader.expectedKeys(of: reordered))
        let enqueue = PipelineScripts.enqueueRows
        let unrepeated = PipelineScript(script: enqueue.script, keys: enqueue.keys)
        #expect(ScriptHeader.documentedKeys(in: enqueue.script.source) != ScriptHeader.expectedKeys(of: unrepeated))
    }
}
