import ArgumentParser
import FcsynthPipeline
import Foundation

struct EnqueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enqueue",
        abstract: "Add the rows of a JSON Lines or JSON array file (.gz too) to a run, resumably.",
        discussion: """
            Bad rows are reported with their line number and skipped; the exit status is 2 if any was. \
            Rows repeating a seed chat the run holds are skipped and counted, and are not an error \
            unless --strict. Run again to resume: only a file that still begins as it did is taken. \
            A file error (a truncated archive, a broken array) keeps the rows before it and exits 1. \
            With --tools, the conversations call the catalog's functions; the input file is then \
            optional, and without it the items start from the catalog's own descriptions.
            """
    )

    @Argument(
        help:
            "Input file: JSON Lines, or a JSON array; .gz is read transparently; - reads standard input. Optional with --tools."
    )
    var file: String?

    @Option(help: "Run name (letters, digits, '.', '-', '_').")
    var run: String

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var pricing: PricingOptions
    @OptionGroup var budget: BudgetOptions
    @OptionGroup var catalog: CatalogOptions

    @Option(help: "Longest row accepted, in bytes.")
    var maxRowBytes = 1 << 20

    @Flag(help: "Exit 2 when any row was skipped, repeats of a seed chat included.")
    var strict = false

    func validate() throws {
        guard file != nil || catalog.tools != nil else {
            throw ValidationError("give an input file, or --tools to start from a catalog's own descriptions")
        }
        if file != nil, catalog.items != nil {
            throw ValidationError("--items is for a catalog run without an input file")
        }
        if budget.maxCost.map({ $0 > 0 }) == true, pricing.prices == nil {
            throw ValidationError(
                "--max-cost needs the run's prices: --price-prompt-per-million and --price-completion-per-million")
        }
    }

    func run() async throws {
        let client = try await connection.scriptClient()
        let store = try connection.store(run: run, client: client)
        var settings = try pipeline.settings()
        settings.prices = pricing.prices
        let reading = try catalog.read()
        catalog.apply(reading, to: &settings)
        let report = try await Self.enqueue(
            file: file, store: store, settings: settings, maxRowBytes: maxRowBytes, budget: budget.budget,
            catalog: catalog)
        let rejectedEntries = reading?.problems.count ?? 0
        if report.rejected > 0 || rejectedEntries > 0 || (strict && report.duplicates > 0) { throw ExitCode(2) }
    }

    /// The input's identity, the file to read, and the folder to remove afterwards: without an
    /// input file, seed rows made from the catalog's descriptions, in a file of their own.
    private static func input(
        file: String?, settings: RunSettings, catalog: CatalogOptions
    ) throws -> (identity: String, path: String, scratch: URL?) {
        if let file {
            // The absolute path, so that a resume from another folder finds the same input.
            let identity =
                file == InputFile.standardInput ? file : URL(fileURLWithPath: file).standardizedFileURL.path
            return (identity, file, nil)
        }
        guard let tools = catalog.tools, let functions = settings.pipeline.catalog else {
            throw ValidationError("give an input file, or --tools")
        }
        let count = catalog.items ?? functions.leadSchedule.count
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "fcsynth-seeds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let path = scratch.appendingPathComponent("catalog-seeds.jsonl")
        try CatalogSeeds.rows(of: functions, count: count, inputKey: settings.pipeline.inputKey).write(to: path)
        let identity = "catalog:" + URL(fileURLWithPath: tools).standardizedFileURL.path + "#items=\(count)"
        return (identity, path.path, scratch)
    }

    /// Shared with `fcsynth run`.
    static func enqueue(
        file: String?, store: RunStore, settings: RunSettings, maxRowBytes: Int, budget: RunBudget? = nil,
        catalog: CatalogOptions
    ) async throws -> EnqueueReport {
        let (input, path, scratch) = try Self.input(file: file, settings: settings, catalog: catalog)
        defer { if let scratch { try? FileManager.default.removeItem(at: scratch) } }
        let file = file ?? "catalog \(catalog.tools ?? "")"
        var options = EnqueueOptions()
        options.inputKey = settings.pipeline.inputKey
        options.maxRowBytes = maxRowBytes
        options.highWaterMark = settings.highWaterMark
        // Opened before the run is bound, so that a path that cannot be read binds nothing.
        let opened = try InputFile(path: path)
        let cursor = try await store.prepare(settings: settings, input: input)
        // Before the first row, so that no item starts outside the budget.
        if let budget { try await store.setBudget(budget, replacing: false) }
        let line = TerminalLine()
        let started = ContinuousClock.now
        let report = try await Enqueuer(store: store, options: options).enqueue(
            opened, input: input, cursor: cursor,
            onRejection: { rejection in
                line.show("")
                Console.error("\(file):\(rejection.description)")
            },
            onProgress: { progress in
                let seconds = (ContinuousClock.now - started) / .seconds(1)
                let rate = Double(progress.rows - cursor.rows) / max(seconds, 0.001)
                var text = "\(progress.rows) rows  \(Int(rate)) rows/s  \(progress.rejected) rejected"
                if let total = progress.totalBytes, progress.bytesRead > 0, total > 0 {
                    let fraction = Double(progress.bytesRead) / Double(total)
                    text += String(
                        format: "  %.0f%%  ETA %@", fraction * 100,
                        TerminalLine.duration(seconds / max(fraction, 1e-9) - seconds))
                }
                if progress.waitingForWorkers { text += "  (waiting: queue above high-water mark)" }
                line.show(text)
            })
        line.finish()
        var summary = "run \(store.run): \(report.enqueued) rows enqueued"
        if report.resumedAfter > 0 { summary += " (resumed after row \(report.resumedAfter))" }
        if report.rejected > 0 { summary += ", \(report.rejected) rejected" }
        if report.duplicates > 0 { summary += ", \(report.duplicates) repeats skipped" }
        if report.enqueued == 0 && report.rejected == 0 && report.duplicates == 0 && report.resumedAfter == 0 {
            summary += " (no rows in \(file))"
        }
        Console.error(summary)
        return report
    }
}
