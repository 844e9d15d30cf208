import FcsynthCore
import FcsynthRedis

extension RunStore {
    /// The items the run filtered and the tasks that died, up to `limit` of each, oldest first;
    /// entries that do not decode are left out.
    public func removedItems(limit: Int = 10_000) async throws -> (filtered: [RemovedItem], dead: [RemovedItem]) {
        let replies = try await redis.execute([
            RedisCommand("LRANGE", keys.filtered, 0, limit - 1), RedisCommand("LRANGE", keys.dead, 0, limit - 1),
        ])
        func decoded(_ reply: RedisReply) throws -> [RemovedItem] {
            try reply.orThrow().array?.compactMap {
                $0.data.flatMap { try? JSONCoding.decode(RemovedItem.self, from: $0) }
            }
                ?? []
        }
        return (try decoded(replies[0]), try decoded(replies[1]))
    }
}
