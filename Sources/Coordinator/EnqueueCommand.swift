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
            A file error (a truncated archive, a broken array) keeps the rows before it and exits 1.
            """
    )

    @Argument(help: "Input file: JSON Lines, or a JSON array; .gz is read transparently; - reads standard input.")
    var file: String

    @Option(help: "Run name (letters, digits, '.', '-', '_').")
    var run: String

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var pricing: PricingOptions
    @OptionGroup var budget: BudgetOptions

    @Option(help: "Longest row accepted, in bytes.")
    var maxRowBytes = 1 << 20

    @Flag(help: "Exit 2 when any row was skipped, repeats of a seed chat included.")
    var strict = false

    func validate() throws {
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
        let report = try await Self.enqueue(
            file: file, store: store, settings: settings, maxRowBytes: maxRowBytes, budget: budget.budget)
        if report.rejected > 0 || (strict && report.duplicates > 0) { throw ExitCode(2) }
    }

    /// Shared with `fcsynth run`.
    static func enqueue(
        file: String, store: RunStore, settings: RunSettings, maxRowBytes: Int, budget: RunBudget? = nil
    ) async throws -> EnqueueReport {
        var options = EnqueueOptions()
        options.inputKey = settings.pipeline.inputKey
        options.maxRowBytes = maxRowBytes
        options.highWaterMark = settings.highWaterMark
        // The absolute path, so that a resume from another folder finds the same input.
        let input =
            file == InputFile.standardInput ? file : URL(fileURLWithPath: file).standardizedFileURL.path
        // Opened before the run is bound, so that a path that cannot be read binds nothing.
        let opened = try InputFile(path: file)
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
