import FcsynthCore
import FcsynthRedis
import Foundation

/// The run's MinHash LSH indexes of composition tasks (with their scenarios) and of function
/// sets, shared by every worker: one script call per item and index looks the item up and,
/// when nothing earlier is near it, adds it, so that of two near-identical items handed in at
/// once exactly one is kept.
package struct NearDuplicateIndex: Sendable {
    package let redis: RedisClient
    package let keys: RunKeys
    package let policy: NearDuplicatePolicy

    package init(redis: RedisClient, keys: RunKeys, policy: NearDuplicatePolicy) {
        self.redis = redis
        self.keys = keys
        self.policy = policy
    }

    /// A task with no word in it is never a duplicate and is not indexed. The scenario's
    /// signature is stored with the task's, to say of a repeat whether its scenario is near too.
    package func check(
        id: String, text: String, scenario: String? = nil
    ) async throws(RedisError)
        -> NearDuplicateVerdict
    {
        guard let signature = MinHashSignature(text: text) else { return .unique }
        let scenarioSignature = scenario.flatMap(MinHashSignature.init(text:))?.stored ?? Data()
        let arguments: [any RedisArgument] =
            [
                id, MinHashSignature.agreementNeeded(for: policy.threshold), policy.exactOnly ? "1" : "0",
                signature.stored, policy.capacity, scenarioSignature,
            ] + signature.bandFields(policy.banding)
        let reply = try await PipelineScripts.nearDuplicate.evaluate(on: redis, keys: keys, arguments: arguments)
        return try Self.verdict(reply, script: "near_duplicate")
    }

    /// An item's function set, as function_gen hands the item on, in the index's own keys: the
    /// same policy, and bands of its own. No functions: never a duplicate, not indexed.
    package func checkFunctions(
        id: String, functions: [FunctionDefinition]
    ) async throws(RedisError)
        -> NearDuplicateVerdict
    {
        guard let signature = MinHashSignature(functions: functions) else { return .unique }
        let arguments: [any RedisArgument] =
            [
                id, MinHashSignature.agreementNeeded(for: policy.threshold), policy.exactOnly ? "1" : "0",
                signature.stored, policy.capacity,
            ] + signature.bandFields(policy.banding)
        let reply = try await PipelineScripts.nearDuplicateFunctions.evaluate(
            on: redis, keys: keys, arguments: arguments)
        return try Self.verdict(reply, script: "near_duplicate_functions")
    }

    /// `{}`, `{0}`, or the original's id and agreeing bytes, then (composition tasks only) the
    /// scenarios' agreeing bytes, -1 for none.
    private static func verdict(_ reply: RedisReply, script: String) throws(RedisError) -> NearDuplicateVerdict {
        guard let parts = reply.array else { throw .unexpectedReply("\(script) returned \(reply)") }
        if parts.isEmpty { return .unique }
        if parts.count == 1, parts[0].integer == 0 { return .unindexed }
        guard (2...3).contains(parts.count), let original = parts[0].string, let agreeing = parts[1].integer else {
            throw .unexpectedReply("\(script) returned \(reply)")
        }
        var scenarioSimilarity: Double?
        if parts.count == 3 {
            guard let scenarioAgreeing = parts[2].integer else {
                throw .unexpectedReply("\(script) returned \(reply)")
            }
            if scenarioAgreeing >= 0 { scenarioSimilarity = MinHashSignature.estimate(agreeing: Int(scenarioAgreeing)) }
        }
        return .duplicate(
            original: original, similarity: MinHashSignature.estimate(agreeing: Int(agreeing)),
            scenarioSimilarity: scenarioSimilarity)
    }
}
