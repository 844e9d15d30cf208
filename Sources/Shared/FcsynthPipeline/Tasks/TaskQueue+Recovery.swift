import Foundation
import FcsynthRedis

extension TaskQueue {
    /// Returns the tasks of workers whose lease expired to their queues. Any worker may call
    /// it; a guard key lets one sweep per interval through.
    public func recoverExpired(maxRecoveries: Int, interval: Duration, now: Date = Date()) async throws(RedisError) -> RecoveryReport {
        let reply = try await redis.evaluate(
            PipelineScripts.recover, keys: [keys.prefix],
            arguments: [Self.milliseconds(now), maxRecoveries, max(1, Self.milliseconds(interval)), worker])
        let numbers = reply.array?.compactMap(\.integer) ?? []
        guard numbers.count == 3 else { throw .unexpectedReply("recover_tasks returned \(reply)") }
        return RecoveryReport(workers: Int(numbers[0]), requeued: Int(numbers[1]), dead: Int(numbers[2]))
    }

    /// Puts back every in-flight task of this worker except `keeping`: all of them on a
    /// graceful stop, and after a lost connection those whose claim reply never arrived.
    @discardableResult
    public func release(keeping tids: [String] = []) async throws(RedisError) -> Int {
        let reply = try await redis.evaluate(PipelineScripts.release, keys: [keys.prefix], arguments: [worker] + tids)
        return Int(reply.integer ?? 0)
    }
}
