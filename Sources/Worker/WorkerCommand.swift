import ArgumentParser
import Foundation
import Logging
import Shared

@main
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fcsynth-worker",
        abstract: "Take fcsynth tasks from Redis, run them through their stages with the LLM, and hand them on.",
        discussion: """
        Settings come from flags or the environment: FCSYNTH_REDIS_URL, FCSYNTH_LLM_URL, FCSYNTH_MODEL, \
        FCSYNTH_API_KEY (or OPENAI_API_KEY). Keep passwords and keys in the environment, not in flags.
        """
    )

    @Option(help: "Redis URL, redis://[user:password@]host:port[/db] (default: FCSYNTH_REDIS_URL or redis://127.0.0.1:6379).")
    var redis: String?

    @Option(help: "Key namespace.")
    var namespace = "fcsynth"

    @Option(name: .customLong("llm-url"), help: "OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1 (default: FCSYNTH_LLM_URL).")
    var llmURL: String?

    @Flag(help: "Use the in-process simulated LLM (template data for dry runs).")
    var simulate = false

    @Option(help: "Model name (default: FCSYNTH_MODEL).")
    var model: String?

    @Option(help: "Tasks, and so LLM calls, in flight at once.")
    var concurrency = 64

    @Option(name: .customLong("run"), help: "Serve only this run (repeatable); default: every active run.")
    var runs: [String] = []

    @Option(help: "Worker id (default: host-pid-random).")
    var id: String?

    @Option(help: "Seconds to finish tasks in hand on SIGTERM before returning the rest.")
    var drainGrace: Double = 20

    @Option(help: "Seconds a silent worker keeps its tasks before others take them back.")
    var lease: Double = 15

    @Option(help: "Log format: text or json.")
    var logFormat = "text"

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel = "info"

    func run() async throws {
        guard let format = LogFormat(rawValue: logFormat) else { throw ValidationError("--log-format must be text or json") }
        guard let level = Logger.Level(rawValue: logLevel) else { throw ValidationError("unknown --log-level \(logLevel)") }
        LogFormat.bootstrap(format, level: level)
        let logger = Logger(label: "fcsynth.worker")
        SignalWatcher.ignoreSIGPIPE()

        let redisURL = try redis.map { try RedisURL(parsing: $0) } ?? RedisURL.fromEnvironment()
        let backend = try LLMBackendChoice.resolve(url: llmURL, model: model, simulate: simulate)
        var options = PipelineWorkerOptions(id: id ?? PipelineWorkerOptions.generatedID())
        options.namespace = namespace
        options.concurrency = max(1, concurrency)
        options.runs = runs
        options.drainGrace = .milliseconds(Int(drainGrace * 1000))
        options.lease = .milliseconds(Int(lease * 1000))
        options.heartbeatInterval = .milliseconds(Int(lease * 1000 / 3))
        for run in runs { try RunKeys.validate(run: run) }

        let client = RedisClient(url: redisURL, options: .patient(waitingUpTo: 60), logger: Logger(label: "fcsynth.redis"))
        let worker = PipelineWorker(redis: client, llm: try backend.makeBackend(), stages: StageCatalog.all,
                                    options: options, logger: logger)
        logger.info("serving", metadata: ["llm": "\(backend.summary)", "runs": "\(runs.isEmpty ? "all" : runs.joined(separator: ","))"])
        let watcher = SignalWatcher { signal in
            logger.notice("stop requested", metadata: ["signal": "\(signal)"])
            worker.stop()
        }
        await worker.run()
        withExtendedLifetime(watcher) {}
        client.close()
    }
}
