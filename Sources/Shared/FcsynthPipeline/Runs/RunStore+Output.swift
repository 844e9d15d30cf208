import FcsynthRedis
import Foundation

/// One entry of a run's output stream.
public struct OutputEntry: Sendable, Hashable {
    /// The stream entry id, the cursor to read on from.
    public var streamID: String
    public var conversationID: String
    public var record: Data
}

extension RunStore {
    /// Up to `count` entries after `streamID` (from the start when nil).
    public func readOutput(after streamID: String?, count: Int) async throws -> [OutputEntry] {
        let start = streamID.map { "(" + $0 } ?? "-"
        let reply = try await redis.send("XRANGE", keys.output, start, "+", "COUNT", count)
        return Self.entries(reply)
    }

    /// Waits up to `seconds` for entries after `streamID`, on a client of its own (a blocking
    /// read holds its connection).
    public func waitForOutput(
        after streamID: String?, count: Int, seconds: Double, using blockingClient: RedisClient
    ) async throws -> [OutputEntry] {
        let command = RedisCommand(
            "XREAD", "COUNT", count, "BLOCK", Int(seconds * 1000), "STREAMS", keys.output, streamID ?? "0-0")
        let reply = try await blockingClient.blocking(command, waitingUpTo: seconds)
        guard let streams = reply.array, let first = streams.first?.array, first.count == 2 else { return [] }
        return Self.entries(first[1])
    }

    private static func entries(_ reply: RedisReply) -> [OutputEntry] {
        (reply.array ?? []).compactMap { entry in
            guard let parts = entry.array, parts.count == 2, let id = parts[0].string else { return nil }
            let fields = parts[1].fieldValues
            guard let record = fields["record"]?.data else { return nil }
            return OutputEntry(streamID: id, conversationID: fields["id"]?.string ?? "", record: record)
        }
    }
}

extension RunStore {
    /// Records that `destination` has written the stream safely up to `streamID` ("0-0"
    /// registers it), and trims what every registered destination has; returns the entries trimmed.
    @discardableResult
    public func acknowledgeExport(destination: String, through streamID: String) async throws -> Int {
        let reply = try await PipelineScripts.acknowledgeExport.evaluate(
            on: redis, keys: keys, arguments: [destination, streamID])
        return Int(try reply.orThrow().integer ?? 0)
    }
}
