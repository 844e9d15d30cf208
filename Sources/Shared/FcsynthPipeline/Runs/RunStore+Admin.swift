import FcsynthCore
import FcsynthRedis
import Foundation

extension RunStore {
    /// Every run in the namespace, by name.
    public static func runs(redis: RedisClient, namespace: String) async throws -> [String] {
        try await redis.send("SMEMBERS", RunKeys.runs(namespace: namespace)).array?.compactMap(\.string).sorted() ?? []
    }

    /// Stops the run: workers take no more of its tasks, and its queues are emptied. Output,
    /// filtered and dead stay for inspection until `purge`.
    public func cancel() async throws {
        guard try await redis.send("EXISTS", keys.meta).integer == 1 else { throw PipelineError.unknownRun(run) }
        var commands = [RedisCommand("HSET", keys.meta, "state", "cancelled")]
        commands += StageName.allCases.map { RedisCommand("DEL", keys.queue($0)) }
        commands.append(RedisCommand("DEL", keys.delayed))
        for reply in try await redis.execute(commands) { _ = try reply.orThrow() }
    }

    /// Deletes every key of the run and forgets it. The workers' in-flight hashes and lease
    /// set go first: a SCAN of a large keyspace takes many steps, and a worker that still owned
    /// a task meanwhile would hand it off into keys already deleted, making them again.
    /// Without ownership its hand-offs write nothing, and the cancel stops claims.
    public func purge() async throws {
        try await redis.send("UNLINK", keys.workers)
        try await unlinkAll(matching: keys.inflight(worker: "*"))
        try await unlinkAll(matching: keys.prefix + "*")
        try await redis.send("SREM", RunKeys.runs(namespace: keys.namespace), run)
    }

    private func unlinkAll(matching pattern: String) async throws {
        var cursor = "0"
        repeat {
            let reply = try await redis.send("SCAN", cursor, "MATCH", pattern, "COUNT", 1000)
            guard let parts = reply.array, parts.count == 2 else { break }
            cursor = parts[0].string ?? "0"
            let found = parts[1].array?.compactMap(\.string) ?? []
            if !found.isEmpty { try await redis.send(RedisCommand("UNLINK", arguments: found)) }
        } while cursor != "0"
    }

    /// Sends the run's dead tasks back to their queues with fresh attempt counts. Entries that
    /// hold no task (garbage pushed by hand) stay dead. Returns how many went back.
    public func requeueDead() async throws -> Int {
        let script = PipelineScripts.requeueDead
        return Int(
            try await script.evaluate(on: redis, keys: keys, arguments: [run] + script.queueStages.map(\.rawValue))
                .integer ?? 0)
    }
}
