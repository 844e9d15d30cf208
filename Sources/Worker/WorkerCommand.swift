import ArgumentParser
import FcsynthBackends
import FcsynthCore
import FcsynthPipeline
import FcsynthRedis
import FcsynthStages
import FcsynthSystem
import Foundation
import Logging

@main
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fcsynth-worker",
        abstract: "Take fcsynth tasks from Redis, run them through their stages with the LLM, and hand them on.",
        discussion: """
            Settings come from flags or the environment: FCSYNTH_REDIS_URL, FCSYNTH_LLM_URL, FCSYNTH_MODEL, \
            FCSYNTH_API_KEY (or OPENAI_API_KEY), FCSYNTH_NAMESPACE, FCSYNTH_CONCURRENCY, FCSYNTH_PACE, FCSYNTH_RUNS (comma-separated), \
            FCSYNTH_WORKER_ID, FCSYNTH_DRAIN_GRACE, FCSYNTH_DRAIN_TIMEOUT, FCSYNTH_METRICS_PORT, FCSYNTH_METRICS_BIND, FCSYNTH_LOG_FORMAT, FCSYNTH_LOG_LEVEL, \
            FCSYNTH_LLM_TIMEOUT (seconds per attempt), FCSYNTH_LLM_MAX_RESPONSE_BYTES, \
            FCSYNTH_JUDGE_LLM_URL, FCSYNTH_JUDGE_MODEL, FCSYNTH_JUDGE_API_KEY (sent only to the judge's endpoint). A flag wins over its variable. \
            Keep passwords and keys in the environment, not in flags.
            """
    )

    @Option(
        help:
            "Redis URL, redis://[user:password@]host:port[/db], or redis+sentinel://[user:password@]host:26379,host:26379/MASTER[/db] (default: FCSYNTH_REDIS_URL or redis://127.0.0.1:6379)."
    )
    var redis: String?

    @Option(help: "Key namespace (default: fcsynth).")
    var namespace: String?

    @Option(
        name: .customLong("llm-url"),
        help: "OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1 (default: FCSYNTH_LLM_URL).")
    var llmURL: String?

    @Flag(help: "Use the in-process simulated LLM (template data for dry runs).")
    var simulate = false

    @Option(help: "Model name (default: FCSYNTH_MODEL).")
    var model: String?

    @Option(
        name: .customLong("judge-llm-url"),
        help: "The judge stage's own OpenAI-compatible base URL (default: FCSYNTH_JUDGE_LLM_URL, else --llm-url's).")
    var judgeLLMURL: String?

    @Option(help: "The judge stage's model (default: FCSYNTH_JUDGE_MODEL, else --model).")
    var judgeModel: String?

    @Option(help: "Tasks, and so LLM calls, in flight at once (default: 64).")
    var concurrency: Int?

    @Option(
        help:
            "adaptive: keep calls in flight to the worker's share of a fleet-wide window that halves on the endpoint's concurrency 429s and grows back by one per window of successes; fixed: always --concurrency (default: FCSYNTH_PACE, else adaptive)."
    )
    var pace: String?

    @Option(name: .customLong("run"), help: "Serve only this run (repeatable); default: every active run.")
    var runs: [String] = []

    @Option(help: "Worker id (default: host-pid-random).")
    var id: String?

    @Option(help: "Seconds to finish tasks in hand on SIGTERM before returning the rest (default: 20).")
    var drainGrace: Double?

    @Option(
        help:
            "Seconds from SIGTERM to exit, at most, grace included; what Redis has not taken by then stays leased and is recovered by other workers (default: 45)."
    )
    var drainTimeout: Double?

    @Option(help: "Seconds a silent worker keeps its tasks before others take them back.")
    var lease: Double = 15

    @Option(
        help:
            "Seconds a silent batch leader keeps the lead of a batch-mode run's batches before another worker takes it (default: 30)."
    )
    var batchLease: Double = 30

    @Option(help: "Serve Prometheus metrics on this port at /metrics (default: FCSYNTH_METRICS_PORT, else none).")
    var metricsPort: Int?

    @Option(
        help:
            "Address the metrics port listens on (default: FCSYNTH_METRICS_BIND, else 127.0.0.1; 0.0.0.0 for a scraper on another host)."
    )
    var metricsBind: String?

    @Option(
        help:
            "Tasks to hold claimed beyond the concurrency, so that a freed slot starts its next task without a round trip to Redis (default: 1/8 of the concurrency, at least 2)."
    )
    var claimAhead: Int?

    @Option(
        help:
            "Claim order: tail (later stages first until the input runs low, then the items with the most work left) or later (later stages first throughout) (default: tail)."
    )
    var claimOrder: String?

    @Option(
        name: .customLong("hedge-after-ms"),
        help:
            "Send a call unanswered after this many ms once more, on a slot left idle at the end of a run, and take the first answer; each hedge is a paid call (default: off)."
    )
    var hedgeAfterMilliseconds: Int?

    @Option(
        help: ArgumentHelp(
            "Write a timeline of the worker's slots and LLM calls to this file when it stops (for scripts/bench).",
            valueName: "file"))
    var slotTrace: String?

    @Option(help: "Log format: text or json (default: text).")
    var logFormat: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error (default: info).")
    var logLevel: String?

    /// As `fcsynth`'s: no core file, and the exit status the command meant whatever its
    /// output is connected to (64 for a bad flag).
    static func main() async {
        SignalWatcher.ignoreSIGPIPE()
        CoreDumps.forbid(environment: ProcessInfo.processInfo.environment)
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            ExitMessage.exit(status: exitCode(for: error).rawValue, message: fullMessage(for: error))
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        func setting(_ flag: String?, _ variable: String, _ fallback: String) -> String {
            flag ?? environment[variable].flatMap { $0.isEmpty ? nil : $0 } ?? fallback
        }
        let logFormat = setting(logFormat, "FCSYNTH_LOG_FORMAT", "text")
        let logLevel = setting(logLevel, "FCSYNTH_LOG_LEVEL", "info")
        guard let format = LogFormat(rawValue: logFormat) else {
            throw ValidationError("log format must be text or json, not \(logFormat)")
        }
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("unknown log level \(logLevel)")
        }
        guard let concurrency = Int(setting(concurrency.map(String.init), "FCSYNTH_CONCURRENCY", "64")), concurrency > 0
        else {
            throw ValidationError("concurrency must be a positive number")
        }
        guard let drainGrace = Double(setting(drainGrace.map { String($0) }, "FCSYNTH_DRAIN_GRACE", "20")),
            drainGrace >= 0
        else {
            throw ValidationError("drain grace must be a number of seconds")
        }
        guard let drainTimeout = Double(setting(drainTimeout.map { String($0) }, "FCSYNTH_DRAIN_TIMEOUT", "45")),
            drainTimeout > drainGrace
        else {
            throw ValidationError(
                "drain timeout must be a number of seconds above the drain grace (\(drainGrace) s), to leave time to return the unfinished tasks"
            )
        }
        let pace = setting(pace, "FCSYNTH_PACE", "adaptive")
        guard pace == "adaptive" || pace == "fixed" else {
            throw ValidationError("pace must be adaptive or fixed, not \(pace)")
        }
        let runs = runs.isEmpty ? setting(nil, "FCSYNTH_RUNS", "").split(separator: ",").map(String.init) : runs
        LogFormat.bootstrap(format, level: level)
        let logger = Logger(label: "fcsynth.worker")
        let openFiles = OpenFileLimit.raiseToHardLimit()

        let redisURL = try redis.map { try RedisURL(parsing: $0) } ?? RedisURL.fromEnvironment()
        var backend = try LLMBackendChoice.resolve(
            url: llmURL, model: model, simulate: simulate, withoutEndpoint: .refuse)
        if pace == "adaptive", case .http(var options) = backend {
            // Rate 429s come back to the fleet's budget, which paces the retries with every new call.
            options.retry.retriesRateLimits = false
            backend = .http(options)
        }
        let judgeBackend = try LLMBackendChoice.judge(url: judgeLLMURL, model: judgeModel, main: backend)
        var options = PipelineWorkerOptions(id: setting(id, "FCSYNTH_WORKER_ID", PipelineWorkerOptions.generatedID()))
        options.namespace = setting(namespace, "FCSYNTH_NAMESPACE", "fcsynth")
        options.concurrency = concurrency
        if openFiles < concurrency + 64 {
            logger.warning(
                "the open-file limit is below the concurrency; calls beyond it will fail to connect",
                metadata: ["limit": "\(openFiles)", "concurrency": "\(concurrency)"])
        }
        options.runs = runs
        options.drainGrace = .milliseconds(Int(drainGrace * 1000))
        options.drainTimeout = .milliseconds(Int(drainTimeout * 1000))
        options.lease = .milliseconds(Int(lease * 1000))
        guard batchLease > 0 else { throw ValidationError("the batch lease must be a positive number of seconds") }
        options.batchLeaderLease = .milliseconds(Int(batchLease * 1000))
        options.slotTrace = slotTrace.map { SlotTrace(path: $0) }
        if let claimAhead {
            guard claimAhead >= 0 else { throw ValidationError("claim ahead must be 0 or more tasks") }
            options.claimAhead = claimAhead
        }
        if let hedgeAfterMilliseconds {
            guard hedgeAfterMilliseconds > 0 else {
                throw ValidationError("hedge after must be a positive number of ms")
            }
            options.hedgeAfter = .milliseconds(hedgeAfterMilliseconds)
        }
        if let claimOrder {
            guard let order = ClaimOrder(rawValue: claimOrder) else {
                throw ValidationError("claim order must be tail or later, not \(claimOrder)")
            }
            options.claimOrder = order
        }
        options.heartbeatInterval = .milliseconds(Int(lease * 1000 / 3))
        for run in runs { try RunKeys.validate(run: run) }

        let client = RedisClient(
            url: redisURL, options: .patient(waitingUpTo: 60), logger: Logger(label: "fcsynth.redis"))
        try await PipelineScripts.load(into: client, namespace: options.namespace)
        let outage = OutageDetector(logger: logger)
        let faults = LLMFaultTally()
        let metrics = WorkerMetrics()
        let backoff = FleetBackoff(redis: client, namespace: options.namespace, learnsLimits: pace == "adaptive")
        let fleetPace =
            pace == "adaptive"
            ? FleetPace(
                redis: client, namespace: options.namespace, worker: options.id, concurrency: concurrency,
                logger: logger) : nil
        if let fleetPace { metrics.watch(fleetPace) }
        let observers = LLMObservers([outage, faults, metrics, backoff] + (fleetPace.map { [$0] } ?? []))
        let llm = try backend.makeBackend(observer: observers)
        let judge = try judgeBackend?.makeBackend(observer: observers)
        let worker = PipelineWorker(
            redis: client, llm: llm, judge: judge, stages: StageCatalog.all, options: options,
            batchEndpoint: try backend.makeBatchEndpoint(), outage: outage,
            faults: faults, metrics: metrics, backoff: backoff, pace: fleetPace,
            toolExecutor: ToolExecutorSource(make: ToolExecutorChoice.http(environment: environment)), logger: logger)
        var metricsServer: MetricsServer?
        if let port = metricsPort ?? environment["FCSYNTH_METRICS_PORT"].flatMap(Int.init) {
            let host = setting(metricsBind, "FCSYNTH_METRICS_BIND", "127.0.0.1")
            metricsServer = try MetricsServer(host: host, port: port, render: metrics.render)
            logger.info("metrics", metadata: ["address": "\(host):\(port)/metrics"])
        }
        logger.info(
            "serving",
            metadata: [
                "llm": "\(backend.summary)", "judge": "\(judgeBackend?.summary ?? "the same")",
                "runs": "\(runs.isEmpty ? "all" : runs.joined(separator: ","))",
            ])
        let watcher = SignalWatcher { signal in
            logger.notice("stop requested", metadata: ["signal": "\(signal)"])
            worker.stop()
        }
        await worker.run()
        withExtendedLifetime((watcher, metricsServer)) {}
        client.close()
    }
}
