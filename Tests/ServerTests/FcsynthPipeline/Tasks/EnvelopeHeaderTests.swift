import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline
@testable import FcsynthRedis

/// The Swift and the Lua reader of the task envelope's header take the same entries and read
/// the same fields from them; the Lua writer's entries decode in Swift.
@Suite struct EnvelopeHeaderTests {
    /// envelope.lua's functions on ARGV[1]: the fields, what follows the header, and the entry
    /// rewritten with attempt 5 and recoveries 6; nil for no envelope.
    static let probe = RedisScript(
        name: "envelope_probe",
        source: PackageResources.envelope_lua
            + Array(
                """
                local header = read_envelope(ARGV[1])
                if not header then return false end
                return {header.tid, header.run, header.stage, header.attempt, header.recoveries,
                        string.sub(ARGV[1], header.item_at), rewrite_envelope(ARGV[1], header, 5, 6)}
                """.utf8))

    static let entries: [String] = {
        let item = WorkItem(id: "7", line: 7, seed: "USER: a table for two, \"tonight\"")
        let encoded = String(
            decoding: try! TaskEnvelope(run: "r-1", stage: .atomTask, item: item, attempt: 2, recoveries: 1).encoded(),
            as: UTF8.self)
        return [
            encoded,
            #"{"tid":"é|conversation|4","run":"r","stage":"bogus","attempt":0,"recoveries":3,"item":{}}"#,
            #"{"tid":"x","run":"","stage":"","attempt":123456789,"recoveries":0,"item":"#,
            #"{"tid":"","run":"r","stage":"atom_task","attempt":0,"recoveries":0,"item":{}}"#,
            #"{"tid":"x","stage":"atom_task","run":"r","attempt":0,"recoveries":0,"item":{}}"#,
            #"{"tid":"x","run":"r","stage":"atom_task","attempt":-1,"recoveries":0,"item":{}}"#,
            #"{"tid":"x","run":"r","stage":"atom_task","attempt":1234567890,"recoveries":0,"item":{}}"#,
            #"{"tid":"x","run":"r","stage":"atom_task","attempt": 0,"recoveries":0,"item":{}}"#,
            #"{"tid":"x","run":"r","stage":"atom_task","attempt":0,"recoveries":0}"#,
            #" {"tid":"x","run":"r","stage":"atom_task","attempt":0,"recoveries":0,"item":{}}"#,
            "not a task",
            "",
        ]
    }()

    @Test(arguments: entries)
    func swiftAndLuaReadTheSameHeader(entry: String) async throws {
        let client = RedisClient(url: try TestEnvironment.redis())
        defer { client.close() }
        let data = Data(entry.utf8)
        let swift = TaskEnvelope.Header.read(data)
        let lua = try await client.evaluate(Self.probe, keys: [], arguments: [entry]).array
        #expect(
            (swift == nil) == (lua == nil), "Swift read \(String(describing: swift)), Lua \(String(describing: lua))")
        guard let swift, let lua, lua.count == 7 else { return }
        #expect(lua[0].string == swift.tid && lua[1].string == swift.run && lua[2].string == swift.stage)
        #expect(lua[3].integer == Int64(swift.attempt) && lua[4].integer == Int64(swift.recoveries))
        let rest = Data(data[(data.startIndex + swift.itemOffset)...])
        #expect(lua[5].data == Data(#","item":"#.utf8) + rest)

        let rewritten = try #require(lua[6].data)
        let reread = try #require(TaskEnvelope.Header.read(rewritten))
        #expect(reread.tid == swift.tid && reread.run == swift.run && reread.stage == swift.stage)
        #expect(reread.attempt == 5 && reread.recoveries == 6)
        #expect(Data(rewritten[(rewritten.startIndex + reread.itemOffset)...]) == rest)
    }

    @Test func aRewrittenEnvelopeDecodesWithItsNewCounts() async throws {
        let client = RedisClient(url: try TestEnvironment.redis())
        defer { client.close() }
        let item = WorkItem(id: "9", line: 9, seed: "USER: weather in Oslo")
        let envelope = TaskEnvelope(run: "r", stage: .conversation, item: item, attempt: 1, recoveries: 2)
        let lua = try #require(
            try await client.evaluate(Self.probe, keys: [], arguments: [try envelope.encoded()]).array)
        let decoded = try TaskEnvelope.decode(try #require(lua[6].data))
        #expect(decoded.tid == envelope.tid && decoded.item == envelope.item)
        #expect(decoded.attempt == 5 && decoded.recoveries == 6)
    }
}
