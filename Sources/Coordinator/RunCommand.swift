import ArgumentParser
import FcsynthBackends
import FcsynthPipeline
import FcsynthRedis
import FcsynthSystem
import Foundation
import Logging
import Synchronization

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The whole job on this machine: Redis (private unless configured), N workers, enqueue, wait, export.",
        discussion: """
            Uses the simulated LLM (template data for dry runs) unless an endpoint is configured with --llm-url or \
            FCSYNTH_LLM_URL (with FCSYNTH_MODEL and FCSYNTH_API_KEY).
            """
    )

    @Argument(help: "Input file: JSON Lines, or a JSON array; .gz is read transparently. Optional with --tools.")
    var file: String?

    @Option(help: "Worker processes to start.")
    var workers = 2

    @Option(help: "Tasks in flight per worker.")
    var concurrency = 64

    @Option(name: .shortAndLong, help: "Where to write the conversations.")
    var output = "out/conversations.jsonl"

    @Option(help: "openai, sharegpt or raw.")
    var format: ExportFormat = .openai

    @OptionGroup var style: ExportStyleOptions

    @Option(help: "Run name (default: the input file's name).")
    var run: String?

    @Option(
        help: ArgumentHelp(
            "Where the private Redis keeps the run's data until it completes (default: .fcsynth beside the output).",
            discussion: "An interrupted run resumes from it when the same command runs again; it is deleted at the end."
        ))
    var stateDir: String?

    @Option(
        name: .customLong("llm-url"), help: "OpenAI-compatible base URL (default: FCSYNTH_LLM_URL; none: simulated).")
    var llmURL: String?

    @Option(help: "Model name (default: FCSYNTH_MODEL).")
    var model: String?

    @Flag(help: "Use the simulated LLM even if an endpoint is configured.")
    var simulate = false

    @Option(
        name: .customLong("judge-llm-url"),
        help: "The judge stage's own OpenAI-compatible base URL (default: FCSYNTH_JUDGE_LLM_URL, else --llm-url's).")
    var judgeLLMURL: String?

    @Option(help: "The judge stage's model (default: FCSYNTH_JUDGE_MODEL, else --model).")
    var judgeModel: String?

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var catalog: CatalogOptions

    /// `run` exports once the run is complete, and a capped run does not complete before an
    /// export --follow has taken its conversations: with a cap it would wait forever.
    func validate() throws {
        guard file != nil || catalog.tools != nil else {
            throw ValidationError("give an input file, or --tools to start from a catalog's own descriptions")
        }
        guard pipeline.outputCap == 0 else {
            throw ValidationError(
                "--output-cap holds a run's conversations until export --follow takes them, and run exports only at "
                    + "the end; leave it out, or use enqueue, fcsynth-worker and export --follow")
        }
    }

    func run() async throws {
        LogFormat.bootstrap(.text, level: .warning)
        let backend = try LLMBackendChoice.resolve(
            url: llmURL, model: model, simulate: simulate, withoutEndpoint: .simulate)
        let judge = try LLMBackendChoice.judge(url: judgeLLMURL, model: judgeModel, main: backend)
        if pipeline.llmMode == .batch, case .simulated = backend {
            throw ValidationError(
                "--llm-mode batch needs an endpoint with a Batch API (--llm-url or FCSYNTH_LLM_URL); for a dry run, "
                    + "`fcsynth simulator` serves one")
        }
        guard let named = file ?? catalog.tools else { throw ValidationError("give an input file, or --tools") }
        let runName = try run ?? Self.runName(for: named)
        var settings = try pipeline.settings()
        let reading = try catalog.read()
        catalog.apply(reading, to: &settings)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fcsynth-run-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }

        let configured = connection.redis != nil || ProcessInfo.processInfo.environment["FCSYNTH_REDIS_URL"] != nil
        let state = URL(fileURLWithPath: stateDir ?? Self.defaultStateDirectory(beside: output))
        let localRedis = configured ? nil : try LocalRedis(state: state)
        defer { localRedis?.stop() }
        let redisURL = try localRedis?.url ?? connection.url()
        let client = RedisClient(
            url: redisURL, options: .patient(waitingUpTo: 30), logger: Logger(label: "fcsynth.redis"))
        try await PipelineScripts.load(into: client, namespace: connection.namespace)
        let store = RunStore(redis: client, keys: RunKeys(namespace: connection.namespace, run: runName))
        Console.error(
            "run \(runName): \(backend.summary)\(judge.map { "; judge \($0.summary)" } ?? ""); Redis \(localRedis.map { "private, its data in \(state.path)\($0.resumed ? ", resuming" : "")" } ?? redisURL.description)"
        )

        let fleet = try WorkerFleet(
            count: workers, redisURL: redisURL, runs: [runName], namespace: connection.namespace,
            concurrency: concurrency, backend: backend, llmURL: llmURL, model: model,
            judge: (url: judgeLLMURL, model: judgeModel), logDirectory: scratch)
        defer { fleet.stop() }
        let interrupted = Mutex(false)
        let watcher = SignalWatcher { _ in interrupted.withLock { $0 = true } }
        defer { withExtendedLifetime(watcher) {} }

        let started = ContinuousClock.now
        let report = try await EnqueueCommand.enqueue(
            file: file, store: store, settings: settings, maxRowBytes: 1 << 20, catalog: catalog)
        let line = TerminalLine()
        var status = try await store.status()
        while !status.complete {
            if interrupted.withLock({ $0 }) {
                line.finish()
                Console.error(
                    "interrupted: workers stopped; run again with the same command to resume"
                        + (localRedis == nil ? "" : " (the run's data is in \(state.path))"))
                throw ExitCode(130)
            }
            if let failure = fleet.failure() { throw failure }
            let finished = status.output + status.filtered + status.dead
            line.show(
                "items \(finished)/\(status.items) finished  output \(status.output)  filtered \(status.filtered)  dead \(status.dead)  \(TerminalLine.duration((ContinuousClock.now - started) / .seconds(1)))"
            )
            try await Task.sleep(for: .milliseconds(250))
            status = try await store.status()
        }
        line.finish()
        fleet.stop()

        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: output).deletingLastPathComponent(), withIntermediateDirectories: true)
        var exportOptions = RunExporter.Options.once(format)
        exportOptions.style = style.style
        let written = try await RunExporter(store: store, output: output, options: exportOptions).run(
            report: { Console.error($0) }
        ).progress
        try await ExportCommand.writeMetadata(
            store: store, beside: output, format: format, style: exportOptions.style, progress: written, prices: nil)
        try localRedis?.finish()
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        Console.error(
            String(
                format:
                    "%d conversations written to %@ (%@) in %.1f s; items %d: output %d, filtered %d, dead %d; %d rows rejected",
                written.lines, output, format.rawValue, seconds, status.items, status.output, status.filtered,
                status.dead, report.rejected))
        if report.rejected > 0 { throw ExitCode(2) }
    }

    /// One folder per output file, so that runs writing different files side by side do not
    /// share a Redis.
    private static func defaultStateDirectory(beside output: String) -> String {
        let file = URL(fileURLWithPath: output)
        return file.deletingLastPathComponent().appendingPathComponent(".fcsynth")
            .appendingPathComponent(file.lastPathComponent).path
    }

    private static func runName(for file: String) throws -> String {
        var name = URL(fileURLWithPath: file).lastPathComponent
        for suffix in [".gz", ".jsonl", ".json", ".yaml", ".yml"] where name.hasSuffix(suffix) {
            name.removeLast(suffix.count)
        }
        let cleaned = String(
            name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "-" }.prefix(64))
        try RunKeys.validate(run: cleaned)
        return cleaned
    }
}
