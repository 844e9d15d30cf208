import FcsynthRedis

extension PipelineScripts {
    /// Asks Redis which commands the connected user may not run on a namespace's keys. It runs
    /// alone, before any pipeline script, so it takes no preludes.
    package static let commandCheck = RedisScript(
        name: "check_commands", source: PackageResources.check_commands_lua)

    /// Every command the scripts call, lower-case and sorted: the names their sources pass to
    /// `redis.call` and `redis.pcall`.
    package static let calledCommands: [String] = Set(all.flatMap { commands(calledIn: $0.script.source) }).sorted()

    /// The commands a script's source calls Redis with by literal name.
    package static func commands(calledIn source: String) -> [String] {
        source.matches(of: /redis\.p?call\(\s*['"]([A-Za-z]+)['"]/).map { $0.output.1.lowercased() }
    }

    /// Fails with the names of the scripts' commands the user may not run, before a script can
    /// stop half-way on one (check_commands.lua).
    static func checkPermissions(on redis: RedisClient, namespace: String) async throws(RedisError) {
        let reply = try await redis.evaluate(
            commandCheck, keys: [RunKeys.fleetStats(namespace: namespace)], arguments: calledCommands)
        let denied = reply.array?.compactMap(\.string) ?? []
        if !denied.isEmpty { throw .commandsDenied(denied.map { $0.uppercased() }) }
    }
}
