import ArgumentParser
import Dispatch
import FcsynthSimulatorServer
import FcsynthSystem
import Foundation
import Logging

struct SimulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulator",
        abstract: "Serve the simulated LLM as an OpenAI-compatible endpoint on a loopback port."
    )

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Flag(help: "Allow a host that is not a loopback address.")
    var allowRemote = false

    @Option(help: "The port to listen on; 0 picks a free one.")
    var port = 0

    @Option(help: "Write the bound port to this file once listening.")
    var portFile: String?

    @Option(name: .customLong("latency-ms"), help: "The median simulated latency in milliseconds.")
    var latencyMilliseconds = 0.0

    @Option(help: "The latency distribution: fixed or lognormal.")
    var latency = SimulatorLatency.Distribution.fixed

    @Option(help: "The lognormal spread: a delay is median * exp(sigma * N(0,1)).")
    var latencySigma = 0.5

    @Option(help: "Seeds latency and random faults.")
    var seed: UInt64 = 0

    @Option(help: "The share of requests, 0 to 1, that get a random fault.")
    var faultRate = 0.0

    @Option(
        help:
            "The random fault kinds, comma separated: \(SimulatorFault.allCases.map(\.rawValue).joined(separator: ","))."
    )
    var faults = "500,429"

    @Option(help: "The Retry-After seconds sent with every 429.")
    var retryAfter = 1

    @Option(help: "The size in bytes of the 'large' fault's body.")
    var largeBytes = 64 << 20

    @Option(help: "The name of an environment variable holding the API key that requests must carry.")
    var requireKeyEnv: String?

    @Flag(help: "Exit when the process that started this one exits.")
    var exitWithParent = false

    @Flag(help: "Answer response_format json_schema with a 400, as endpoints that only take json_object do.")
    var rejectJsonSchema = false

    @Flag(help: "Leave usage out of answers, as some self-hosted servers do.")
    var omitUsage = false

    @Option(
        help:
            "The share, 0 to 1, of each answer's prompt tokens reported as cached (usage.prompt_tokens_details.cached_tokens)."
    )
    var cachedPrefixShare = 0.0

    @Option(help: "Refuse with a concurrency 429 any request beyond this many in flight at once (default: no limit).")
    var concurrencyLimit = 0

    @Option(
        name: .customLong("rpm-limit"),
        help: "Refuse with a rate 429 past this many requests per minute; answers carry x-ratelimit-* headers.")
    var requestsPerMinute = 0

    @Option(
        name: .customLong("tpm-limit"),
        help: "Refuse with a rate 429 past this many prompt tokens per minute; answers carry x-ratelimit-* headers.")
    var tokensPerMinute = 0

    @Option(help: "Seconds of --rpm-limit and --tpm-limit a full budget holds (default: 60, a minute's worth).")
    var rateBurst = 60.0

    @Option(
        name: .customLong("batch-turnaround-ms"),
        help: "How long a batch (POST /v1/batches) stays in progress before it completes (default: 1000).")
    var batchTurnaroundMilliseconds = 1_000

    @Option(help: "The share, 0 to 1, of a batch's lines answered with an error in its error file.")
    var batchFailureRate = 0.0

    @Option(help: "The share, 0 to 1, of batches that expire with only their first half answered.")
    var batchExpireRate = 0.0

    func validate() throws {
        guard port >= 0, port <= 65535 else { throw ValidationError("--port must be between 0 and 65535") }
        guard latencyMilliseconds >= 0 else { throw ValidationError("--latency-ms must not be negative") }
        guard latencySigma >= 0 else { throw ValidationError("--latency-sigma must not be negative") }
        guard (0...1).contains(faultRate) else { throw ValidationError("--fault-rate must be between 0 and 1") }
        guard (0...1).contains(cachedPrefixShare) else {
            throw ValidationError("--cached-prefix-share must be between 0 and 1")
        }
        guard concurrencyLimit >= 0, requestsPerMinute >= 0, tokensPerMinute >= 0 else {
            throw ValidationError("--concurrency-limit, --rpm-limit and --tpm-limit must not be negative")
        }
        guard batchTurnaroundMilliseconds >= 0 else {
            throw ValidationError("--batch-turnaround-ms must not be negative")
        }
        guard (0...1).contains(batchFailureRate), (0...1).contains(batchExpireRate) else {
            throw ValidationError("--batch-failure-rate and --batch-expire-rate must be between 0 and 1")
        }
        guard rateBurst > 0 else { throw ValidationError("--rate-burst must be positive") }
        guard retryAfter >= 0 else { throw ValidationError("--retry-after must not be negative") }
        do {
            _ = try SimulatorFault.list(faults)
        } catch {
            throw ValidationError("--faults: \(error)")
        }
    }

    func run() async throws {
        var logger = Logger(label: "fcsynth.simulator")
        logger.logLevel = .info
        let options = try options(logger: logger)
        let server = SimulatorServer(options: options)
        let boundPort = try server.start()
        if let portFile {
            try Self.writeAtomically("\(boundPort)\n", to: portFile)
        }
        logger.info("simulator listening on \(server.baseURL ?? "")")
        await waitForTermination()
        server.stop()
        if let portFile {
            try? FileManager.default.removeItem(atPath: portFile)
        }
    }

    private func options(logger: Logger) throws -> SimulatorOptions {
        if !allowRemote {
            guard try SimulatorOptions.isLoopback(host: host) else {
                throw ValidationError(SimulatorOptionsError.nonLoopbackHost(host).description)
            }
        }
        var apiKey: String?
        if let requireKeyEnv {
            apiKey = ProcessInfo.processInfo.environment[requireKeyEnv].flatMap { $0.isEmpty ? nil : $0 }
            if apiKey == nil {
                logger.warning("\(requireKeyEnv) is not set; serving without authentication")
            }
        }
        let median = latencyMilliseconds
        var options = SimulatorOptions(
            host: host,
            port: port,
            latency: latency == .fixed
                ? .fixed(milliseconds: median) : .lognormal(medianMilliseconds: median, sigma: latencySigma),
            faultRate: faultRate,
            faultKinds: try SimulatorFault.list(faults),
            retryAfterSeconds: retryAfter,
            seed: seed,
            apiKey: apiKey,
            largeBodyBytes: largeBytes
        )
        options.rejectsJSONSchema = rejectJsonSchema
        options.omitsUsage = omitUsage
        options.cachedPromptShare = cachedPrefixShare
        options.concurrencyLimit = concurrencyLimit
        options.requestsPerMinute = requestsPerMinute
        options.tokensPerMinute = tokensPerMinute
        options.rateBurstSeconds = rateBurst
        options.batchTurnaroundMilliseconds = batchTurnaroundMilliseconds
        options.batchFailureRate = batchFailureRate
        options.batchExpireRate = batchExpireRate
        return options
    }

    /// Readers poll for the file, so it appears whole or not at all.
    private static func writeAtomically(_ text: String, to path: String) throws {
        let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        try text.write(toFile: temporary, atomically: false, encoding: .utf8)
        if rename(temporary, path) != 0 {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }

    /// Returns on the first SIGTERM or SIGINT.
    /// Until SIGTERM or SIGINT, or, with `--exit-with-parent`, until the process that started
    /// this one is gone: a test runner that dies must not leave its simulator behind.
    private func waitForTermination() async {
        let (stops, stop) = AsyncStream<Void>.makeStream()
        let watcher = SignalWatcher { _ in stop.yield() }
        if exitWithParent {
            let parent = getppid()
            Task {
                while getppid() == parent { try? await Task.sleep(for: .seconds(1)) }
                stop.yield()
            }
        }
        var iterator = stops.makeAsyncIterator()
        _ = await iterator.next()
        withExtendedLifetime(watcher) {}
    }
}

extension SimulatorLatency.Distribution: ExpressibleByArgument {}
