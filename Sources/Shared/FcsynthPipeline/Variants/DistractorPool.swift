import FcsynthCore
import FcsynthRedis
import FcsynthStages
import Foundation

/// The run's pool of functions its items designed, shared by every worker through Redis, from
/// which each item entering the conversation is given its distractors. Functions are grouped
/// by domain, the kind of thing they act on, so that an item is shown first those that act on
/// what its own functions act on: the choice is then a real one.
package struct DistractorPool: Sendable {
    /// The most distractors a run may ask for per item.
    package static let maxPerItem = 20
    /// Functions the pool holds at most; later designs are not added.
    package static let capacity = 1024
    /// Names one domain's set holds at most.
    package static let domainCapacity = 64

    package let redis: RedisClient
    package let keys: RunKeys

    package init(redis: RedisClient, keys: RunKeys) {
        self.redis = redis
        self.keys = keys
    }

    /// `count` functions for the item whose functions are `needed`: first those of the same
    /// domains, then any others, none named like a needed one, each group in an order drawn
    /// from the item id so that the same pool gives the same draw. Fewer while the pool is small.
    package func draw(
        count: Int, for itemId: String, needed: [FunctionDefinition]
    ) async throws(RedisError)
        -> [FunctionDefinition]
    {
        guard count > 0 else { return [] }
        let domains = Array(Set(needed.map { FunctionDomain.of($0.name) })).sorted()
        let replies = try await redis.execute(
            domains.map { RedisCommand("SMEMBERS", keys.distractors(domain: $0)) }
                + [RedisCommand("HKEYS", keys.distractors)])
        let neededNames = Set(needed.map(\.name))
        let rank = { (name: String) in StableHash.of(itemId + "/" + name) }
        let near = Set(replies.dropLast().flatMap { $0.array ?? [] }.compactMap(\.string)).subtracting(neededNames)
        let all = Set(replies.last?.array?.compactMap(\.string) ?? []).subtracting(neededNames)
        let chosen = Array(
            (near.intersection(all).sorted { rank($0) < rank($1) }
                + all.subtracting(near).sorted { rank($0) < rank($1) }).prefix(count))
        guard !chosen.isEmpty else { return [] }
        let definitions = try await redis.send(RedisCommand("HMGET", arguments: [keys.distractors] + chosen))
        return (definitions.array ?? []).compactMap { reply in
            reply.data.flatMap { try? JSONCoding.decode(FunctionDefinition.self, from: $0) }
        }
    }

    /// Adds an item's designed functions, within the pool's bounds; a name the pool holds keeps
    /// its first design.
    package func add(_ functions: [FunctionDefinition]) async throws(RedisError) {
        let entries = functions.compactMap { function -> (String, String, String)? in
            guard let definition = try? JSONCoding.encodeString(function) else { return nil }
            return (FunctionDomain.of(function.name), function.name, definition)
        }
        guard !entries.isEmpty else { return }
        let script = PipelineScripts.addDistractors
        _ = try await script.evaluate(
            on: redis, keys: keys, parts: entries.map(\.0),
            arguments: [Self.capacity as any RedisArgument, Self.domainCapacity] + entries.flatMap { [$0.1, $0.2] })
    }
}
