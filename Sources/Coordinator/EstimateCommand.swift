import ArgumentParser
import FcsynthBackends
import FcsynthCore
import FcsynthPipeline
import FcsynthRedis
import FcsynthSystem
import Foundation
import Logging
import Synchronization

struct EstimateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estimate",
        abstract:
            "Know the bill before the run: a sample of the file through the real pipeline, projected to all of it.",
        discussion: """
            Runs --sample rows, spread over the file, as --batches independent runs on the endpoint fcsynth run would \
            use (the sample's calls are billed at its price), in a private Redis whose data is deleted at the end; \
            FCSYNTH_REDIS_URL is not used. Prints, per stage and in total, the calls and tokens per input row and per \
            kept conversation, the yield, and the whole file's projected calls, tokens, cost and wall time for \
            --workers × --concurrency within --rpm and --tpm: each the batches' mean with a 90% Student-t interval. \
            Exit status 1 when the sample kept no conversation (the reasons are listed) or could not run; 130 when \
            interrupted.
            """
    )

    /// As enqueue's default.
    private static let maxRowBytes = 1 << 20

    @Argument(help: "Input file: JSON Lines, or a JSON array; .gz is read transparently.")
    var file: String

    @Option(help: "Rows to run, spread over the file.")
    var sample = 24

    @Option(help: "Independent runs the sample is split into, for the interval (2 to 30).")
    var batches = 4

    @Option(help: "Worker processes of the real job, for the projection.")
    var workers = 2

    @Option(help: "Tasks in flight per worker in the real job; the sample runs on one worker with as many.")
    var concurrency = 64

    @Flag(help: "Print the estimate as one JSON object.")
    var json = false

    @Option(name: .customLong("llm-url"), help: "OpenAI-compatible base URL (default: FCSYNTH_LLM_URL).")
    var llmURL: String?

    @Option(help: "Model name (default: FCSYNTH_MODEL).")
    var model: String?

    @Flag(help: "Use the simulated LLM: the machinery's figures, not a model's.")
    var simulate = false

    @Option(
        name: .customLong("judge-llm-url"),
        help: "The judge stage's own OpenAI-compatible base URL (default: FCSYNTH_JUDGE_LLM_URL, else --llm-url's).")
    var judgeLLMURL: String?

    @Option(help: "The judge stage's model (default: FCSYNTH_JUDGE_MODEL, else --model).")
    var judgeModel: String?

    @OptionGroup var pricing: PricingOptions
    @OptionGroup var pipeline: PipelineOptions

    func validate() throws {
        guard sample >= 1 else { throw ValidationError("--sample must be at least 1") }
        guard (2...30).contains(batches) else { throw ValidationError("--batches must be from 2 to 30") }
        guard workers >= 1, concurrency >= 1 else {
            throw ValidationError("--workers and --concurrency must be at least 1")
        }
        guard pipeline.outputCap == 0 else {
            throw ValidationError("--output-cap would hold the sample until an export takes it; leave it out")
        }
        guard file != InputFile.standardInput else {
            throw ValidationError(
                "estimate reads the file twice (to count its rows, then to sample them): give a file, not -")
        }
    }

    func run() async throws {
        SignalWatcher.ignoreSIGPIPE()
        LogFormat.bootstrap(.text, level: .warning)
        let backend = try LLMBackendChoice.resolve(
            url: llmURL, model: model, simulate: simulate, withoutEndpoint: .refuse)
        let judge = try LLMBackendChoice.judge(url: judgeLLMURL, model: judgeModel, main: backend)
        var settings = try pipeline.settings()
        let fleet = RunEstimate.Fleet(
            workers: workers, concurrency: concurrency, requestsPerMinute: settings.requestsPerMinute,
            tokensPerMinute: settings.tokensPerMinute)

        let sampler = InputSampler(path: file, inputKey: settings.pipeline.inputKey, maxRowBytes: Self.maxRowBytes)
        let counted = try sampler.count()
        if let first = counted.firstRejection {
            Console.error(
                "\(file): \(counted.rejected) rows enqueue would reject (the first, \(first)); the estimate is for the \(counted.valid) valid rows"
            )
        }
        let plan = SamplePlan(validRows: counted.valid, sample: sample, batches: batches)
        guard plan.size > 0 else { throw EstimateError.noValidRows(file: file) }
        let inputs = try sampler.draw(plan)
        // The batches run at once: together they keep to the run's limits.
        settings.requestsPerMinute = Self.share(settings.requestsPerMinute, among: plan.batches)
        settings.tokensPerMinute = Self.share(settings.tokensPerMinute, among: plan.batches)

        let interrupted = Mutex(false)
        let watcher = SignalWatcher { _ in interrupted.withLock { $0 = true } }
        defer { withExtendedLifetime(watcher) {} }
        let scratch = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let redis = try LocalRedis(state: scratch.appendingPathComponent("redis"))
        defer { redis.stop() }
        let client = RedisClient(
            url: redis.url, options: .patient(waitingUpTo: 30), logger: Logger(label: "fcsynth.redis"))
        defer { client.close() }
        try await PipelineScripts.load(into: client)
        let stores = (1...plan.batches).map {
            RunStore(redis: client, keys: RunKeys(namespace: "fcsynth", run: "estimate-\($0)"))
        }
        var billed = "; the sample is billed"
        if case .simulated = backend { billed = "" }
        Console.error(
            "estimate of \(file): \(plan.size) of \(plan.validRows) valid rows (one in \(String(format: "%.1f", plan.stride))), "
                + "as \(plan.batches) runs, on \(backend.summary)\(judge.map { "; judge \($0.summary)" } ?? "")\(billed); "
                + "private Redis (PID \(redis.pid), port \(redis.url.port)), deleted at the end")
        let fleetProcesses = try WorkerFleet(
            count: 1, redisURL: redis.url, runs: stores.map(\.run), namespace: "fcsynth", concurrency: concurrency,
            backend: backend, llmURL: llmURL, model: model, judge: (url: judgeLLMURL, model: judgeModel),
            logDirectory: scratch)
        defer { fleetProcesses.stop() }

        let started = ContinuousClock.now
        var duplicates = 0
        for (index, (store, rows)) in zip(stores, inputs).enumerated() {
            let input = scratch.appendingPathComponent("batch-\(index + 1).json")
            try rows.write(to: input)
            duplicates += try await Self.enqueue(input.path, into: store, settings: settings).duplicates
        }
        let end = try await Self.waitForSample(
            stores, fleet: fleetProcesses, interrupted: { interrupted.withLock { $0 } }, started: started)
        // Stopped workers have written the failed calls they saw.
        fleetProcesses.stop()
        guard case .complete(let statuses) = end else {
            let faults = try await stores[0].status().llmFaults.filter { $0.key.hasPrefix("llm_faults:") }
            throw EstimateError.endpointFailing(
                credentials: end == .credentialsRefused,
                faults: Dictionary(
                    uniqueKeysWithValues: faults.map { (String($0.key.dropFirst("llm_faults:".count)), $0.value) }))
        }
        let seconds = (ContinuousClock.now - started) / .seconds(1)

        let measured = statuses.map(EstimateBatch.init(status:))
        guard
            let estimate = RunEstimate(
                batches: measured, fileRows: plan.validRows, fleet: fleet, prices: pricing.prices)
        else { throw EstimateError.nothingTaken }
        var filtered: [RemovedItem] = []
        var dead: [RemovedItem] = []
        for store in stores {
            let removed = try await store.removedItems()
            filtered += removed.filtered
            dead += removed.dead
        }
        let report = EstimateReport(
            file: file, rows: plan.validRows, rowsRejected: counted.rejected, endpoint: backend.summary, fleet: fleet,
            prices: pricing.prices,
            sample: EstimateReport.Sample(
                batches: measured, stride: plan.stride, seconds: seconds, rowsDuplicate: duplicates),
            estimate: estimate, filteredReasons: RemovalReason.ranked(filtered),
            deadReasons: RemovalReason.ranked(dead))
        print(json ? try JSONCoding.encodeString(report) : EstimateTable(report: report).render())
        if report.sample.output == 0 {
            throw EstimateError.noConversation(
                rows: report.sample.rows, filtered: report.filteredReasons, dead: report.deadReasons)
        }
    }

    private enum SampleEnd: Equatable {
        case complete([RunStatus])
        case endpointDown
        case credentialsRefused
    }

    /// Waits until every batch's run is complete. An endpoint that fails every call makes the
    /// workers pause the tasks, which would wait for it forever: the estimate stops instead.
    private static func waitForSample(
        _ stores: [RunStore], fleet: WorkerFleet, interrupted: () -> Bool, started: ContinuousClock.Instant
    ) async throws -> SampleEnd {
        let line = TerminalLine()
        defer { line.finish() }
        while true {
            var statuses: [RunStatus] = []
            for store in stores { statuses.append(try await store.status()) }
            if statuses.allSatisfy(\.complete) { return .complete(statuses) }
            if interrupted() {
                line.finish()
                Console.error("interrupted: the sample's runs are stopped and deleted")
                throw ExitCode(130)
            }
            if let failure = fleet.failure() { throw failure }
            let sum = { (figure: (RunStatus) -> Int) in statuses.reduce(0) { $0 + figure($1) } }
            if sum({ $0.errors["paused_for_credentials"] ?? 0 }) > 0 { return .credentialsRefused }
            if sum({ $0.errors["paused_for_outage"] ?? 0 }) > 0 { return .endpointDown }
            line.show(
                "sample: items \(sum { $0.output + $0.filtered + $0.dead })/\(sum(\.items))  output \(sum(\.output))  calls \(sum { $0.stages.values.reduce(0) { $0 + $1.llmCalls } })  \(TerminalLine.duration((ContinuousClock.now - started) / .seconds(1)))"
            )
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    private static func enqueue(
        _ path: String, into store: RunStore, settings: RunSettings
    ) async throws
        -> EnqueueReport
    {
        var options = EnqueueOptions()
        options.inputKey = settings.pipeline.inputKey
        options.maxRowBytes = maxRowBytes
        options.highWaterMark = settings.highWaterMark
        let cursor = try await store.prepare(settings: settings, input: path)
        return try await Enqueuer(store: store, options: options).enqueue(
            try InputFile(path: path), input: path, cursor: cursor, onRejection: { _ in })
    }

    /// A limit split among runs that share it; 0 stays no limit.
    private static func share(_ limit: Int, among runs: Int) -> Int {
        limit == 0 ? 0 : max(1, limit / max(1, runs))
    }

    /// Private to this user: it holds sampled rows until the end.
    private static func scratchDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "fcsynth-estimate-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return directory
    }
}
