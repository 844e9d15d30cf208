import FcsynthCore
import FcsynthRedis
import Foundation

/// A worker's view of one run's queues: claim tasks into its in-flight hash, hand them off,
/// renew its lease. Each call is one script, however many tasks it carries. Leases and retry
/// delays go as durations: the scripts add them to Redis's clock, never this process's.
public struct TaskQueue: Sendable {
    public let redis: RedisClient
    public let keys: RunKeys
    public let worker: String

    public init(redis: RedisClient, keys: RunKeys, worker: String) {
        self.redis = redis
        self.keys = keys
        self.worker = worker
    }

    /// Takes up to `count` tasks, in the claim script's stage order; none of the stages that
    /// write the output stream while it holds `outputCap` entries or more (0: no cap).
    public func claim(
        upTo count: Int, lease: Duration, outputCap: Int = 0, order: ClaimOrder = .laterStagesFirst
    ) async throws(RedisError) -> [ClaimedEntry] {
        let script = PipelineScripts.claim
        let outputStages = PipelineScripts.outputStages.map(\.rawValue).joined(separator: ",")
        let reply = try await script.evaluate(
            on: redis, keys: keys, worker: worker,
            arguments: [worker, Self.milliseconds(lease), count, outputCap, outputStages, order.rawValue]
                + script.queueStages.map(\.rawValue))
        guard let parts = reply.array, parts.count == 2, let entries = parts[0].array, let held = parts[1].array,
            held.count == entries.count
        else {
            throw .unexpectedReply("claim_tasks returned \(reply)")
        }
        return zip(entries, held).compactMap { entry, held in
            entry.data.map { ClaimedEntry(entry: $0, mayHoldAnswers: held.integer != 0) }
        }
    }

    /// Applies the hand-offs of tasks this worker still owns; returns the tids it no longer
    /// owned (recovered and given to another worker meanwhile), for which nothing was written.
    public func complete(_ completions: [Completion]) async throws(RedisError) -> (applied: Int, stale: [String]) {
        guard !completions.isEmpty else { return (0, []) }
        let script = PipelineScripts.complete
        var arguments: [any RedisArgument] = [script.queueStages.count] + script.queueStages.map(\.rawValue)
        for completion in completions { completion.append(to: &arguments) }
        let reply = try await script.evaluate(
            on: redis, keys: keys, worker: worker, parts: completions.map(\.tid), arguments: arguments)
        guard let parts = reply.array, parts.count == 2, let applied = parts[0].integer else {
            throw .unexpectedReply("complete_tasks returned \(reply)")
        }
        return (Int(applied), parts[1].array?.compactMap(\.string) ?? [])
    }

    /// Renews this worker's lease on its in-flight tasks: a call to send in one round trip
    /// with the worker's other periodic writes (`RedisClient.execute(_:then:)`).
    public func heartbeat(lease: Duration) -> RedisScriptCall {
        PipelineScripts.renewLease.call(keys: keys, arguments: [worker, Self.milliseconds(lease)])
    }

    package static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}
