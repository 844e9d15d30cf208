import ArgumentParser
import FcsynthPipeline
import FcsynthRedis
import Logging

/// Where Redis is and which namespace the runs live in.
struct ConnectionOptions: ParsableArguments {
    @Option(
        help:
            "Redis URL, redis://[user:password@]host:port[/db], or redis+sentinel://[user:password@]host:26379,host:26379/MASTER[/db] (default: FCSYNTH_REDIS_URL or redis://127.0.0.1:6379). Prefer the variable: flags are visible to other users."
    )
    var redis: String?

    @Option(help: "Key namespace.")
    var namespace = "fcsynth"

    func url() throws -> RedisURL {
        try redis.map { try RedisURL(parsing: $0) } ?? RedisURL.fromEnvironment()
    }

    func client(options: RedisClientOptions = .patient(waitingUpTo: 30)) throws -> RedisClient {
        RedisClient(url: try url(), options: options, logger: Logger(label: "fcsynth.redis"))
    }

    /// A client for the commands that run the pipeline's scripts, with every script loaded: one
    /// Redis rejects fails the command as it starts, by name.
    func scriptClient(options: RedisClientOptions = .patient(waitingUpTo: 30)) async throws -> RedisClient {
        let client = try client(options: options)
        try await PipelineScripts.load(into: client, namespace: namespace)
        return client
    }

    func store(run: String, client: RedisClient) throws -> RunStore {
        try RunKeys.validate(run: run)
        return RunStore(redis: client, keys: RunKeys(namespace: namespace, run: run))
    }
}
