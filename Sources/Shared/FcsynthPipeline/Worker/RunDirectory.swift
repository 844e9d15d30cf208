import FcsynthCore
import FcsynthRedis
import Foundation

/// The runs a worker serves and their settings, as Redis last said.
package struct RunDirectory: Sendable {
    package let redis: RedisClient
    package let namespace: String
    package let only: [String]

    /// Active runs: listed, not cancelled, with readable settings. A run whose settings do
    /// not decode is skipped and reported, so that one bad run cannot stop the fleet.
    package func load() async throws(RedisError) -> (runs: [String: RunSettings], unreadable: [String]) {
        let listed: [String]
        if only.isEmpty {
            listed =
                try await redis.send("SMEMBERS", RunKeys.runs(namespace: namespace)).array?.compactMap(\.string)
                .sorted() ?? []
        } else {
            listed = only
        }
        guard !listed.isEmpty else { return ([:], []) }
        let keys = listed.map { RunKeys(namespace: namespace, run: $0) }
        let replies = try await redis.execute(
            keys.flatMap { [RedisCommand("GET", $0.settings), RedisCommand("HGET", $0.meta, "state")] })
        var runs: [String: RunSettings] = [:]
        var unreadable: [String] = []
        for (index, run) in listed.enumerated() {
            let settings = replies[index * 2]
            let state = replies[index * 2 + 1].string
            guard state != nil, state != "cancelled", let data = settings.data else { continue }
            if let decoded = try? JSONCoding.decode(RunSettings.self, from: data) {
                runs[run] = decoded
            } else {
                unreadable.append(run)
            }
        }
        return (runs, unreadable)
    }
}
