import FcsynthCore
import FcsynthRedis
import Foundation

/// One task's replay hash in Redis: read as an attempt starts when the claim said an earlier
/// attempt may have stored answers (the run's `answered` set), written after each new answer,
/// deleted by the hand-off that moves the task on (`complete_tasks.lua`).
package struct ReplayStore: Sendable {
    /// A task that never moves on (a run abandoned without a purge) lets go of its answers
    /// after this long; every write renews it.
    package static let timeToLive = Duration.seconds(7 * 24 * 3600)

    package let redis: RedisClient
    package let keys: RunKeys
    package let tid: String

    package init(redis: RedisClient, keys: RunKeys, tid: String) {
        self.redis = redis
        self.keys = keys
        self.tid = tid
    }

    package var key: String { keys.replay(tid: tid) }

    /// The answers earlier attempts stored, or nil when Redis cannot be read. A read whose
    /// connection broke is sent again, since it changes nothing: the client reconnects first,
    /// waiting as long as its options allow.
    package func load() async -> ReplayBook? {
        for attempt in 1...Self.readAttempts {
            do {
                let reply = try await redis.send("HGETALL", key)
                return ReplayBook(fields: reply.fieldValues.compactMapValues(\.data))
            } catch  where error.isConnectionError && attempt < Self.readAttempts {
                continue
            } catch {
                return nil
            }
        }
        return nil
    }

    private static let readAttempts = 3

    /// Best effort: an answer Redis did not take is asked again if the task must run again.
    /// Nothing is stored once the run is purged (save_reply.lua).
    package func save(_ reply: StoredReply, as requestKey: String) async {
        guard let value = try? JSONCoding.encode(reply) else { return }
        _ = try? await PipelineScripts.saveReply.evaluate(
            on: redis, keys: keys, parts: [tid],
            arguments: [ReplayBook.answerPrefix + requestKey, value, TaskQueue.milliseconds(Self.timeToLive), tid])
    }
}
