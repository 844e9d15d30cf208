import FcsynthCore
import FcsynthRedis

/// One of the pipeline's Lua scripts and the keys it takes, in KEYS order. Its file's header
/// names the same keys in the same order, as `RunKeys(run: "RUN")` spells them: a
/// `-- KEYS[n]: key` line per key, and `-- KEYS[n...]: key` for the repeated one.
package struct PipelineScript: Sendable {
    package let script: RedisScript
    /// The keys every call passes first.
    package let keys: [ScriptKey]
    /// The key that follows them once per part a call names (a worker, a bucket); nil: none.
    package let repeatedKey: ScriptKey?

    package init(script: RedisScript, keys: [ScriptKey], repeatedKey: ScriptKey? = nil) {
        self.script = script
        self.keys = keys
        self.repeatedKey = repeatedKey
    }

    /// The stages of the queue keys, in KEYS order: the names the script finds them by in ARGV.
    package var queueStages: [StageName] {
        keys.compactMap { key in
            if case .queue(let stage) = key { stage } else { nil }
        }
    }

    /// Runs the script on one run's keys: `worker` is the calling worker, whose in-flight hash
    /// a fixed `.inflight` key is, and `batch` the batch whose requests a fixed `.batched` key
    /// holds; `parts` give one repeated key each.
    package func evaluate(
        on redis: RedisClient, keys runKeys: RunKeys, worker: String = "", batch: String = "", parts: [String] = [],
        arguments: [any RedisArgument]
    ) async throws(RedisError) -> RedisReply {
        let call = call(keys: runKeys, worker: worker, batch: batch, parts: parts, arguments: arguments)
        return try await redis.evaluate(call.script, keys: call.keys, arguments: call.arguments)
    }

    /// The same run of the script, to send in one round trip with other commands.
    package func call(
        keys runKeys: RunKeys, worker: String = "", batch: String = "", parts: [String] = [],
        arguments: [any RedisArgument]
    ) -> RedisScriptCall {
        precondition(repeatedKey != nil || parts.isEmpty, "\(script.name) takes no repeated key")
        var names = keys.map { $0.key(in: runKeys, part: $0 == .batched ? batch : worker) }
        if let repeatedKey {
            names += parts.map { repeatedKey.key(in: runKeys, part: $0) }
        }
        return RedisScriptCall(script, keys: names, arguments: arguments)
    }
}
