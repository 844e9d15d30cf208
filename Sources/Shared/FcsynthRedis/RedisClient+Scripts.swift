extension RedisClient {
    /// Runs a script by its SHA1, loading it first when the server does not know it
    /// (first use, a restarted server, or after SCRIPT FLUSH).
    public func evaluate(
        _ script: RedisScript, keys: [String], arguments: [any RedisArgument]
    ) async throws(RedisError) -> RedisReply {
        var sha = scriptHashes.value(for: script.name)
        if sha == nil {
            sha = try await load([script])[0]
        }
        let reply = try await execute([Self.evalsha(sha!, keys: keys, arguments: arguments)])[0]
        if case .error(let message) = reply, message.hasPrefix("NOSCRIPT") {
            let reloaded = try await load([script])[0]
            return try await send(Self.evalsha(reloaded, keys: keys, arguments: arguments))
        }
        return try reply.orThrow()
    }

    /// Loads the scripts in one round trip and returns their SHA1s; one the server refuses is
    /// `RedisError.scriptRejected`, with its name and the server's message.
    @discardableResult
    public func load(_ scripts: [RedisScript]) async throws(RedisError) -> [String] {
        let replies = try await execute(scripts.map { RedisCommand("SCRIPT", "LOAD", $0.source) })
        var hashes: [String] = []
        for (script, reply) in zip(scripts, replies) {
            if case .error(let message) = reply { throw .scriptRejected(name: script.name, message: message) }
            guard let sha = reply.string else {
                throw .unexpectedReply("SCRIPT LOAD of \(script.name) returned \(reply)")
            }
            scriptHashes.set(sha, for: script.name)
            hashes.append(sha)
        }
        return hashes
    }

    private static func evalsha(_ sha: String, keys: [String], arguments: [any RedisArgument]) -> RedisCommand {
        var command = RedisCommand("EVALSHA", sha, keys.count)
        for key in keys { command.append(key) }
        command.append(contentsOf: arguments)
        return command
    }
}
