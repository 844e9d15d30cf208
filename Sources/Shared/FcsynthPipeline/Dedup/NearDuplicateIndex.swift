import FcsynthCore
import FcsynthRedis

/// The run's MinHash LSH index of composition tasks, shared by every worker: one script call
/// per item looks the item up and, when nothing earlier is near it, adds it, so that of two
/// near-identical items handed in at once exactly one is kept.
package struct NearDuplicateIndex: Sendable {
    package let redis: RedisClient
    package let keys: RunKeys
    package let policy: NearDuplicatePolicy

    package init(redis: RedisClient, keys: RunKeys, policy: NearDuplicatePolicy) {
        self.redis = redis
        self.keys = keys
        self.policy = policy
    }

    /// A text with no word in it is never a duplicate and is not indexed.
    package func check(id: String, text: String) async throws(RedisError) -> NearDuplicateVerdict {
        guard let signature = MinHashSignature(text: text) else { return .unique }
        let arguments: [any RedisArgument] =
            [
                id, MinHashSignature.agreementNeeded(for: policy.threshold), policy.exactOnly ? "1" : "0",
                signature.stored, policy.capacity,
            ] + signature.bandFields(policy.banding)
        let reply = try await PipelineScripts.nearDuplicate.evaluate(on: redis, keys: keys, arguments: arguments)
        guard let parts = reply.array else {
            throw .unexpectedReply("near_duplicate returned \(reply)")
        }
        guard parts.count == 2, let original = parts[0].string, let agreeing = parts[1].integer else {
            if parts.isEmpty { return .unique }
            if parts.count == 1, parts[0].integer == 0 { return .unindexed }
            throw .unexpectedReply("near_duplicate returned \(reply)")
        }
        return .duplicate(original: original, similarity: MinHashSignature.estimate(agreeing: Int(agreeing)))
    }
}
