import FcsynthCore
import FcsynthRedis
import Foundation

/// A run's batch-mode state in Redis: the leader's lease, the pending requests, the batches
/// from draft to settlement, and the parked tasks they answer. Every change is one script.
package struct BatchStore: Sendable {
    package let redis: RedisClient
    package let keys: RunKeys

    package init(redis: RedisClient, keys: RunKeys) {
        self.redis = redis
        self.keys = keys
    }

    /// What the leader decides a round by, read in one round trip.
    package struct Overview: Sendable {
        package var state: String?
        package var pending: Int
        /// How long the longest-waiting pending request has waited, by Redis's clock.
        package var oldestPendingWait: Duration?
        package var batches: [String: BatchRecord]
        /// Tasks queued or in flight: requests that may yet join the round.
        package var runnable: Int
    }

    /// Takes or keeps the lead; false while another worker leads, or the run is gone.
    package func lead(token: String, lease: Duration) async throws(RedisError) -> Bool {
        try await PipelineScripts.leadBatches.evaluate(
            on: redis, keys: keys, arguments: [token, TaskQueue.milliseconds(lease)]
        ).integer == 1
    }

    package func overview() async throws(RedisError) -> Overview {
        let stages = StageName.allCases
        var commands = [
            RedisCommand("HGET", keys.meta, "state"),
            RedisCommand("ZCARD", keys.batchPending),
            RedisCommand("ZRANGE", keys.batchPending, 0, 0, "WITHSCORES"),
            RedisCommand("TIME"),
            RedisCommand("HGETALL", keys.batches),
            RedisCommand("HGETALL", keys.counters),
        ]
        commands += stages.map { RedisCommand("LLEN", keys.queue($0)) }
        let replies = try await redis.execute(commands)
        for reply in replies { _ = try reply.orThrow() }
        var oldest: Duration?
        if let first = replies[2].array, first.count == 2, let score = first[1].string.flatMap(Double.init),
            let now = replies[3].timeMilliseconds
        {
            oldest = .milliseconds(max(0, Int64(now) - Int64(score)))
        }
        var batches: [String: BatchRecord] = [:]
        for (id, value) in replies[4].fieldValues {
            if let data = value.data, let record = try? JSONCoding.decode(BatchRecord.self, from: data) {
                batches[id] = record
            }
        }
        let counters = replies[5].fieldValues
        let inFlight = stages.reduce(0) { total, stage in
            total + max(0, Int(counters["inflight:\(stage.rawValue)"]?.string ?? "") ?? 0)
        }
        let queued = replies[6...].reduce(0) { $0 + Int($1.integer ?? 0) }
        return Overview(
            state: replies[0].string, pending: Int(replies[1].integer ?? 0), oldestPendingWait: oldest,
            batches: batches, runnable: queued + inFlight)
    }

    /// Moves pending requests into a new draft batch `id`; returns how many it holds (0: not the
    /// leader any more, or nothing was pending).
    package func draft(
        _ id: String, token: String, settings: BatchSettings, limits: BatchLimits
    )
        async throws(RedisError) -> Int
    {
        // A line carries the request's body, about the size of its member; the rest is margin.
        let bytes = min(settings.maxBytes, limits.maxBytes) * 9 / 10
        let requests = min(settings.maxRequests, limits.maxRequests)
        return Int(
            try await PipelineScripts.draftBatch.evaluate(
                on: redis, keys: keys, batch: id, arguments: [token, id, requests, bytes]
            ).integer ?? 0)
    }

    /// The requests a batch still holds, by request id; unreadable ones are skipped (and stay in
    /// the batch until the run is purged; they were written by this code, so there are none).
    package func requests(of batch: String) async throws(RedisError) -> [String: ParkedRequest] {
        let reply = try await redis.send("HGETALL", keys.batched(batch: batch))
        var requests: [String: ParkedRequest] = [:]
        for (id, value) in reply.fieldValues {
            if let data = value.data, let request = try? ParkedRequest.read(member: data) { requests[id] = request }
        }
        return requests
    }

    /// 1: the draft's batch is `providerID`; 0: another one is (cancel this one); -1: the draft is gone.
    package func record(_ batch: String, providerID: String, inputFile: String) async throws(RedisError) -> Int {
        Int(
            try await PipelineScripts.recordBatch.evaluate(
                on: redis, keys: keys, arguments: [batch, providerID, inputFile]
            ).integer ?? -1)
    }

    /// The parked tasks waiting on these tids' requests, for the records of those that die.
    package func parkedTasks(_ tids: [String]) async throws(RedisError) -> [String: Data] {
        guard !tids.isEmpty else { return [:] }
        let reply = try await redis.send(RedisCommand("HMGET", arguments: [keys.parked] + tids))
        var tasks: [String: Data] = [:]
        for (tid, value) in zip(tids, reply.array ?? []) {
            if let data = value.data { tasks[tid] = data }
        }
        return tasks
    }

    /// Applies lines of a finished batch; returns whether the batch closed with them.
    package func settle(_ batch: String, lines: [BatchSettlement]) async throws(RedisError) -> Bool {
        let script = PipelineScripts.settleBatch
        var arguments: [any RedisArgument] = [batch, TaskQueue.milliseconds(ReplayStore.timeToLive)]
        arguments.append(script.queueStages.count)
        arguments += script.queueStages.map(\.rawValue)
        for line in lines { line.append(to: &arguments) }
        let reply = try await script.evaluate(
            on: redis, keys: keys, batch: batch, parts: lines.map(\.tid), arguments: arguments)
        return reply.array?.last?.integer == 1
    }

    /// A cancelled run's batch, forgotten once the provider was told: its requests go nowhere.
    package func forget(_ batch: String) async throws(RedisError) {
        _ = try await redis.execute([
            RedisCommand("HDEL", keys.batches, batch), RedisCommand("DEL", keys.batched(batch: batch)),
        ])
    }
}
