extension RedisClient {
    /// Runs a script by its SHA1, loading it first when the server does not know it
    /// (first use, a restarted server, or after SCRIPT FLUSH).
    public func evaluate(
        _ script: RedisScript, keys: [String], arguments: [any RedisArgument]
    ) async throws(RedisError) -> RedisReply {
        try await execute([RedisScriptCall(script, keys: keys, arguments: arguments)], then: [])[0].orThrow()
    }

    /// Runs the script calls and then `commands` in one round trip, each script by its SHA1.
    /// A script this client never loaded is loaded first; calls the server answers NOSCRIPT
    /// (restarted, or SCRIPT FLUSH) load theirs and go again, in one more. The replies come in
    /// the same order, errors among them as error replies.
    public func execute(
        _ calls: [RedisScriptCall], then commands: [RedisCommand]
    ) async throws(RedisError) -> [RedisReply] {
        let unloaded = Self.distinct(calls.map(\.script)).filter { scriptHashes.value(for: $0.name) == nil }
        if !unloaded.isEmpty { try await load(unloaded) }
        var replies = try await execute(calls.map(evalsha) + commands)
        let missing = calls.indices.filter {
            if case .error(let message) = replies[$0] { message.hasPrefix("NOSCRIPT") } else { false }
        }
        guard !missing.isEmpty else { return replies }
        try await load(Self.distinct(missing.map { calls[$0].script }))
        let retried = try await execute(missing.map { evalsha(calls[$0]) })
        for (index, reply) in zip(missing, retried) { replies[index] = reply }
        return replies
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

    /// The call by the SHA1 its script loaded under (`execute` loads it first).
    private func evalsha(_ call: RedisScriptCall) -> RedisCommand {
        var command = RedisCommand("EVALSHA", scriptHashes.value(for: call.script.name) ?? "", call.keys.count)
        for key in call.keys { command.append(key) }
        command.append(contentsOf: call.arguments)
        return command
    }

    private static func distinct(_ scripts: [RedisScript]) -> [RedisScript] {
        var seen: Set<String> = []
        return scripts.filter { seen.insert($0.name).inserted }
    }
}
