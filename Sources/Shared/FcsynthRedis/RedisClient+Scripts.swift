extension RedisClient {
    /// Runs a script by its SHA1, loading it first when the server does not know it
    /// (first use, a restarted server, or after SCRIPT FLUSH).
    public func evaluate(_ script: RedisScript, keys: [String], arguments: [any RedisArgument]) async throws(RedisError) -> RedisReply {
        var sha = scriptHashes.value(for: script.name)
        if sha == nil {
            sha = try await load(script)
        }
        let reply = try await execute([Self.evalsha(sha!, keys: keys, arguments: arguments)])[0]
        if case .error(let message) = reply, message.hasPrefix("NOSCRIPT") {
            let reloaded = try await load(script)
            return try await send(Self.evalsha(reloaded, keys: keys, arguments: arguments))
        }
        return try reply.orThrow()
    }

    private func load(_ script: RedisScript) async throws(RedisError) -> String {
        guard let sha = try await send("SCRIPT", "LOAD", script.source).string else {
            throw .unexpectedReply("SCRIPT LOAD of \(script.name) returned no hash")
        }
        scriptHashes.set(sha, for: script.name)
        return sha
    }

    private static func evalsha(_ sha: String, keys: [String], arguments: [any RedisArgument]) -> RedisCommand {
        var command = RedisCommand("EVALSHA", sha, keys.count)
        for key in keys { command.append(key) }
        command.append(contentsOf: arguments)
        return command
    }
}
