import ArgumentParser
import FcsynthCore
import FcsynthPipeline
import Foundation

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show runs: per stage queued, in flight, done, failed; output, filtered, dead; workers; tokens."
    )

    @Option(help: "Only this run (default: every run).")
    var run: String?

    @Flag(help: "One JSON object per run, one per line.")
    var json = false

    @Flag(help: "Refresh in place every --interval seconds, with rates and an ETA.")
    var watch = false

    @Option(help: "Seconds between refreshes with --watch.")
    var interval = 2.0

    @OptionGroup var pricing: PricingOptions
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let client = try connection.client(options: .failFast)
        let runs: [String]
        if let run {
            runs = [run]
        } else {
            runs = try await RunStore.runs(redis: client, namespace: connection.namespace)
        }
        let stores = try runs.map { try connection.store(run: $0, client: client) }
        var previous: [String: (RunStatus, ContinuousClock.Instant)] = [:]
        repeat {
            var blocks: [String] = []
            for store in stores {
                let status = try await store.status()
                if json {
                    print(try JSONCoding.encodeString(status))
                } else {
                    let rates = previous[store.run].map {
                        StatusTable.Rates(
                            previous: $0.0, current: status, seconds: (ContinuousClock.now - $0.1) / .seconds(1))
                    }
                    blocks.append(StatusTable(status: status, rates: rates, prices: pricing.prices).render())
                }
                previous[store.run] = (status, .now)
            }
            if !json {
                if watch { print("\u{1B}[H\u{1B}[2J", terminator: "") }
                print(blocks.isEmpty ? "no runs" : blocks.joined(separator: "\n"))
            }
            if watch { try await Task.sleep(for: .milliseconds(Int(interval * 1000))) }
        } while watch
    }
}
