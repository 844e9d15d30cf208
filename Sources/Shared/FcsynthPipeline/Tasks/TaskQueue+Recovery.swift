import FcsynthRedis

extension TaskQueue {
    /// Returns the tasks of workers whose lease expired to their queues. Any worker may call
    /// it; a guard key lets one sweep per interval through.
    public func recoverExpired(maxRecoveries: Int, interval: Duration) async throws(RedisError) -> RecoveryReport {
        let candidates = try await expiredWorkers()
        guard !candidates.isEmpty else { return RecoveryReport(workers: 0, requeued: 0, dead: 0) }
        return try await recover(candidates, maxRecoveries: maxRecoveries, interval: interval)
    }

    /// The workers whose lease has passed by Redis's clock: the first of recovery's two steps,
    /// since a script must be given every key it touches, their in-flight hashes included.
    package func expiredWorkers() async throws(RedisError) -> [String] {
        let reply = try await PipelineScripts.expiredWorkers.evaluate(on: redis, keys: keys, arguments: [])
        return reply.array?.compactMap(\.string) ?? []
    }

    /// The second step: the script checks each candidate's lease again, so that one that
    /// renewed it meanwhile keeps its tasks.
    package func recover(
        _ candidates: [String], maxRecoveries: Int, interval: Duration
    ) async throws(RedisError) -> RecoveryReport {
        let script = PipelineScripts.recover
        let stages = script.queueStages.map(\.rawValue)
        let reply = try await script.evaluate(
            on: redis, keys: keys, parts: candidates,
            arguments: [maxRecoveries, max(1, Self.milliseconds(interval)), worker, stages.count] + stages
                + candidates)
        let numbers = reply.array?.compactMap(\.integer) ?? []
        guard numbers.count == 3 else { throw .unexpectedReply("recover_tasks returned \(reply)") }
        return RecoveryReport(workers: Int(numbers[0]), requeued: Int(numbers[1]), dead: Int(numbers[2]))
    }

    /// Puts back every in-flight task of this worker except `keeping`: all of them on a
    /// graceful stop, and after a lost connection those whose claim reply never arrived.
    @discardableResult
    public func release(keeping tids: [String] = []) async throws(RedisError) -> Int {
        let script = PipelineScripts.release
        let reply = try await script.evaluate(
            on: redis, keys: keys, worker: worker,
            arguments: [worker] + script.queueStages.map(\.rawValue) + tids)
        return Int(reply.integer ?? 0)
    }
}
