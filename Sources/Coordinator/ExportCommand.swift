import ArgumentParser
import FcsynthCore
import FcsynthPipeline
import FcsynthRedis
import FcsynthSystem
import Foundation
import Synchronization

extension ExportFormat: ExpressibleByArgument {}
extension ShareGPTResultJoin: ExpressibleByArgument {}

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a run's conversations as JSON Lines: openai, sharegpt (LLaMA-Factory) or raw."
    )

    @Option(help: "Run name.")
    var run: String

    @Option(name: .shortAndLong, help: "Output file, or - for standard output.")
    var output: String

    @Option(help: "openai, sharegpt or raw.")
    var format: ExportFormat = .openai

    @Flag(
        help:
            "Keep reading new conversations until the run is complete. To a file, progress is synced and saved beside it (FILE.progress.json): the same command started again resumes after the last line written."
    )
    var follow = false

    @Option(
        help:
            "With --follow, the name this export acknowledges under: the output stream is trimmed only below what every destination has written (default: HOST:ABSOLUTE-PATH of a file; none for standard output)."
    )
    var destination: String?

    @Flag(help: "Leave out records made by the simulated LLM, and records that do not say how they were made.")
    var excludeSimulated = false

    @Flag(
        help:
            "Replace function names with neutral identifiers (function_1, function_2, ...), the same within each record, so that a model learns to choose by the descriptions."
    )
    var maskFunctionNames = false
    @OptionGroup var style: ExportStyleOptions

    @Option(
        help: ArgumentHelp(
            "Add this file's entry (formatting, columns, tags) to LLaMA-Factory's dataset_info.json at PATH, keeping its other entries; openai or sharegpt, to a file.",
            valueName: "PATH"))
    var datasetInfo: String?

    @Option(help: "The entry's name in --dataset-info (default: the output file's name without its extension).")
    var datasetName: String?

    @OptionGroup var pricing: PricingOptions
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        guard datasetInfo != nil || datasetName == nil else {
            throw ValidationError("--dataset-name names the entry --dataset-info writes: give --dataset-info PATH")
        }
        guard datasetInfo != nil else { return }
        guard output != "-" else {
            throw ValidationError("--dataset-info needs the data in a file for the entry to name: give -o FILE")
        }
        guard format != .raw else {
            throw ValidationError("--dataset-info: raw lines have no LLaMA-Factory layout; export openai or sharegpt")
        }
    }

    func run() async throws {
        // A follow acknowledges through a script, so it asks first whether the user may run it.
        let client = follow ? try await connection.scriptClient() : try connection.client()
        let store = try connection.store(run: run, client: client)
        let status = try await store.status()
        // Nothing but an acknowledgement frees a capped stream, and a nameless export to standard
        // output makes none: the run would wait at its cap, and this export with it, forever.
        if follow, output == "-", destination == nil, status.outputCap > 0 {
            throw ValidationError(
                "run \(run) waits at its --output-cap (\(status.outputCap)) until its exports acknowledge what they "
                    + "took; an export --follow to standard output acknowledges only under a name: give --destination NAME"
            )
        }
        var options =
            follow
            ? RunExporter.Options.following(format, destination: destination ?? Self.defaultDestination(output))
            : .once(format)
        options.excludeSimulated = excludeSimulated
        options.maskFunctionNames = maskFunctionNames
        options.style = style.style
        let exporter = RunExporter(
            store: store, output: output, options: options, blockingClient: follow ? try connection.client() : nil)
        let stopSignal = Mutex<Int32?>(nil)
        let watcher = SignalWatcher { signal in stopSignal.withLock { $0 = signal } }
        let result = try await exporter.run(
            shouldStop: { stopSignal.withLock { $0 != nil } }, report: { Console.error($0) })
        withExtendedLifetime(watcher) {}
        try await Self.writeMetadata(
            store: store, beside: output, format: format, style: options.style, progress: result.progress,
            prices: pricing.prices)
        if let datasetInfo {
            let entry = try DatasetInfoEntry(
                format: format, name: datasetName ?? DatasetInfoEntry.defaultName(for: output),
                dataFile: DatasetInfoEntry.reference(to: output, from: datasetInfo))
            try entry.write(into: datasetInfo)
            Console.error("dataset \(entry.name) written to \(datasetInfo)")
        }
        let progress = result.progress
        var summary = "exported \(progress.lines) conversations of run \(run)"
        if result.resumed { summary += " (resumed)" }
        if progress.refused > 0 { summary += ", \(progress.refused) not expressible in \(format.rawValue) (see above)" }
        if progress.provenance.excludedSimulated > 0 {
            summary += ", \(progress.provenance.excludedSimulated) simulated or of unknown origin left out"
        }
        Console.error(summary)
        if let signal = stopSignal.withLock({ $0 }), result.stopped {
            Console.error("stopped by signal \(signal) with everything written synced; run the same command to resume")
            throw ExitCode(128 + signal)
        }
        if let shortfall = result.shortfall {
            Console.error("error: \(shortfall)")
            throw ExitCode(1)
        }
    }

    /// A file's destination is where it lives: the host and its absolute path.
    static func defaultDestination(_ output: String) -> String? {
        guard output != "-" else { return nil }
        let host = ProcessInfo.processInfo.hostName
        return host + ":" + URL(fileURLWithPath: output).standardizedFileURL.path
    }

    /// `FILE.meta.json` beside an exported file.
    static func writeMetadata(
        store: RunStore, beside output: String, format: ExportFormat, style: ExportStyle = .standard,
        progress: ExportProgress, prices: RunEstimate.Prices?
    ) async throws {
        guard output != "-" else { return }
        let metadata = ExportMetadata(
            status: try await store.status(), format: format, style: style, lines: progress.lines,
            provenance: progress.provenance, report: try await store.report(prices: prices),
            schemaRewrites: progress.schemaLayout?.rewrites)
        try JSONCoding.encode(metadata).write(to: URL(fileURLWithPath: output + ".meta.json"))
    }
}
