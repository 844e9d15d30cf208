import Foundation
import TestSupport
import Testing

@testable import FcsynthPipeline
@testable import FcsynthRedis

/// `acknowledge_export.lua` through `RunStore.acknowledgeExport` on the test Redis, each test on
/// a run of its own: a destination's mark only moves forward, and the output stream is trimmed
/// up to the lowest mark of every registered destination, never further.
@Suite struct AcknowledgeExportTests {
    let client: RedisClient
    let keys: RunKeys
    let store: RunStore

    init() throws {
        client = RedisClient(url: try TestEnvironment.redis())
        keys = RunKeys(namespace: TestEnvironment.uniqueName("ns"), run: "r")
        store = RunStore(redis: client, keys: keys)
    }

    /// Adds `count` entries to the run's output stream; returns their ids.
    func append(_ count: Int) async throws -> [String] {
        var ids: [String] = []
        for index in 0..<count {
            let reply = try await client.send("XADD", keys.output, "*", "id", "c\(index)", "record", "{}")
            ids.append(try #require(reply.string))
        }
        return ids
    }

    func remaining() async throws -> [String] {
        try await client.send("XRANGE", keys.output, "-", "+").array?.compactMap { $0.array?.first?.string } ?? []
    }

    func marks() async throws -> [String: String] {
        try await client.send("HGETALL", keys.exporters).fieldValues.compactMapValues(\.string)
    }

    @Test func theStreamIsTrimmedOnlyBelowTheLowestDestination() async throws {
        let ids = try await append(10)
        // Registered at the start, a destination holds everything.
        #expect(try await store.acknowledgeExport(destination: "a", through: "0-0") == 0)
        #expect(try await store.acknowledgeExport(destination: "b", through: ids[2]) == 0)
        #expect(try await remaining() == ids)
        // Trimmed up to and including the lowest mark, b's, and no further.
        #expect(try await store.acknowledgeExport(destination: "a", through: ids[6]) == 3)
        #expect(try await remaining() == Array(ids[3...]))
        #expect(try await store.acknowledgeExport(destination: "b", through: ids[9]) == 4)
        #expect(try await remaining() == Array(ids[7...]))
        #expect(try await marks() == ["a": ids[6], "b": ids[9]])
        // A third destination registering now holds what is left, and loses nothing already gone.
        #expect(try await store.acknowledgeExport(destination: "c", through: "0-0") == 0)
        #expect(try await store.acknowledgeExport(destination: "a", through: ids[9]) == 0)
        #expect(try await remaining() == Array(ids[7...]))
        #expect(try await store.acknowledgeExport(destination: "c", through: ids[8]) == 2)
        #expect(try await remaining() == [ids[9]])
    }

    @Test func anAcknowledgementNeverMovesBackwards() async throws {
        let ids = try await append(6)
        #expect(try await store.acknowledgeExport(destination: "a", through: ids[4]) == 5)
        // Late, repeated, or a restarted export registering again: the mark stays.
        for earlier in [ids[1], ids[4], "0-0"] {
            #expect(try await store.acknowledgeExport(destination: "a", through: earlier) == 0)
            #expect(try await marks() == ["a": ids[4]], "after \(earlier)")
        }
        #expect(try await remaining() == [ids[5]])

        // Ids compare as numbers, milliseconds first, then the sequence.
        let steps: [(String, String)] = [
            ("5-3", "5-3"), ("5-2", "5-3"), ("4-9", "5-3"), ("5-10", "5-10"), ("9-5", "9-5"), ("10-0", "10-0"),
        ]
        for (acknowledged, expected) in steps {
            try await store.acknowledgeExport(destination: "n", through: acknowledged)
            #expect(try await marks()["n"] == expected, "after \(acknowledged)")
        }
        // Below every real entry, the lowest mark trims nothing.
        #expect(try await remaining() == [ids[5]])
    }

    @Test func aMalformedIDIsAnErrorAndChangesNothing() async throws {
        let ids = try await append(3)
        try await store.acknowledgeExport(destination: "a", through: ids[0])
        for bad in ["", "abc", "12", "1-2-3", "-1-0", "1-", "1.5-0", "+", "$", " 1-0"] {
            do {
                try await store.acknowledgeExport(destination: "a", through: bad)
                Issue.record("\"\(bad)\" was taken as a stream id")
            } catch let error as RedisError {
                #expect("\(error)".contains("not a stream id"), "\(bad): \(error)")
            }
            // Nor does it register a new destination.
            await #expect(throws: RedisError.self) {
                try await store.acknowledgeExport(destination: "z", through: bad)
            }
        }
        #expect(try await marks() == ["a": ids[0]])
        #expect(try await remaining() == Array(ids[1...]))
    }
}
