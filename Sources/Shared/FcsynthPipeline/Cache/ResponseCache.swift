import FcsynthCore
import FcsynthRedis
import Foundation

/// The response cache in Redis, shared by the namespace's runs: an answer stored under its
/// request key (`ReplayBook.lookUp`: the request hash and its occurrence in the task) serves an
/// identical request of any later run with `--cache` until it expires or the cap evicts it.
/// Reads are plain commands, outside every run's scripts; stores go through `cache_store.lua`.
/// Both are best effort: a cache Redis cannot answer is a miss.
package struct ResponseCache: Sendable {
    package let redis: RedisClient
    package let namespace: String
    package let settings: ResponseCacheSettings

    package init(redis: RedisClient, namespace: String, settings: ResponseCacheSettings) {
        self.redis = redis
        self.namespace = namespace
        self.settings = settings
    }

    /// The stored answer, unless it has expired by Redis's clock (the store that follows
    /// drops it) or none is stored.
    package func fetch(_ key: String) async -> StoredReply? {
        guard
            let replies = try? await redis.execute([
                RedisCommand("HGET", RunKeys.cacheEntries(namespace: namespace), key),
                RedisCommand("ZSCORE", RunKeys.cacheExpiry(namespace: namespace), key),
                RedisCommand("TIME"),
            ]),
            replies.count == 3, let value = replies[0].data,
            let expiry = replies[1].string.flatMap(Double.init), let now = replies[2].timeMilliseconds,
            expiry > Double(now)
        else { return nil }
        return try? JSONCoding.decode(StoredReply.self, from: value)
    }

    /// Stores the answers of an attempt the stage accepted.
    package func store(_ answers: [(key: String, reply: StoredReply)]) async {
        guard !answers.isEmpty else { return }
        var arguments: [any RedisArgument] = [settings.timeToLive * 1000, settings.maxBytes]
        for answer in answers {
            guard let value = try? JSONCoding.encode(answer.reply) else { continue }
            arguments.append(answer.key)
            arguments.append(value)
        }
        // No run: the cache's keys are the namespace's alone.
        _ = try? await PipelineScripts.cacheStore.evaluate(
            on: redis, keys: RunKeys(namespace: namespace, run: "-"), arguments: arguments)
    }
}
