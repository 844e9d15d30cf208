import ArgumentParser
import FcsynthCore
import FcsynthPipeline
import Foundation

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract:
            "Summarize a run's dataset: outcomes and reasons, judge scores, rule violations, calls, rounds, parallel turns, variants, diversity, near-duplicate clusters, tokens and cost per kept conversation."
    )

    @Option(help: "Run name.")
    var run: String

    @Option(help: "Also write the report as one self-contained HTML page (inline SVG charts, no script) to FILE.")
    var html: String?

    @Flag(help: "Print the report as JSON (the figures export writes into FILE.meta.json) instead of the table.")
    var json = false

    @OptionGroup var pricing: PricingOptions
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let client = try connection.client(options: .failFast)
        let store = try connection.store(run: run, client: client)
        let report = try await store.report(prices: pricing.prices)
        if json {
            print(try JSONCoding.encodeString(report))
        } else {
            print(ReportTable(report: report).render())
        }
        if let html {
            try Data(ReportPage(report: report).render().utf8).write(to: URL(fileURLWithPath: html), options: .atomic)
            Console.error("report of run \(run) written to \(html)")
        }
    }
}
