import ArgumentParser
import FcsynthCore
import FcsynthPipeline
import FcsynthRedis
import FcsynthSystem
import Foundation

extension ExportFormat: ExpressibleByArgument {}

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

    @Flag(help: "Keep reading new conversations until the run is complete.")
    var follow = false

    @Flag(help: "Leave out records made by the simulated LLM, and records that do not say how they were made.")
    var excludeSimulated = false

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        SignalWatcher.ignoreSIGPIPE()
        let client = try connection.client()
        let store = try connection.store(run: run, client: client)
        _ = try await store.status()
        let written = try await Self.export(
            store: store, to: output, format: format, follow: follow,
            excludeSimulated: excludeSimulated,
            blockingClient: follow ? try connection.client() : nil)
        try await Self.writeMetadata(store: store, beside: output, format: format, written: written)
        var summary = "exported \(written.lines) conversations of run \(run)"
        if written.refused > 0 { summary += ", \(written.refused) not expressible in \(format.rawValue) (see above)" }
        if written.provenance.excludedSimulated > 0 {
            summary += ", \(written.provenance.excludedSimulated) simulated or of unknown origin left out"
        }
        Console.error(summary)
    }

    /// `FILE.meta.json` beside an exported file.
    static func writeMetadata(
        store: RunStore, beside output: String, format: ExportFormat, written: Written
    ) async throws {
        guard output != "-" else { return }
        let metadata = ExportMetadata(
            status: try await store.status(), format: format, lines: written.lines,
            provenance: written.provenance)
        try JSONCoding.encode(metadata).write(to: URL(fileURLWithPath: output + ".meta.json"))
    }

    struct Written {
        var lines = 0
        var refused = 0
        var provenance = ProvenanceTally()
    }

    /// Shared with `fcsynth run`.
    static func export(
        store: RunStore, to output: String, format: ExportFormat, follow: Bool, excludeSimulated: Bool,
        blockingClient: RedisClient?
    ) async throws -> Written {
        let handle: FileHandle
        if output == "-" {
            handle = .standardOutput
        } else {
            guard FileManager.default.createFile(atPath: output, contents: nil) else {
                throw ValidationError("cannot create \(output)")
            }
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        }
        let writer = JSONLinesWriter(handle: handle)
        let formatter = format.makeFormatter()
        var cursor: String?
        var written = Written()
        while true {
            var entries = try await store.readOutput(after: cursor, count: 1_000)
            if entries.isEmpty && follow {
                if try await store.status().complete {
                    entries = try await store.readOutput(after: cursor, count: 1_000)
                    if entries.isEmpty { break }
                } else if let blockingClient {
                    entries = try await store.waitForOutput(
                        after: cursor, count: 1_000, seconds: 2, using: blockingClient)
                }
            }
            if entries.isEmpty && !follow { break }
            for entry in entries {
                cursor = entry.streamID
                do {
                    let record = try JSONCoding.decode(ConversationRecord.self, from: entry.record)
                    if excludeSimulated && !ProvenanceTally.isReal(record) {
                        written.provenance.excludedSimulated += 1
                        continue
                    }
                    try writer.write(try formatter.line(for: record))
                    written.provenance.count(record)
                } catch {
                    written.refused += 1
                    Console.error("conversation \(entry.conversationID): \(error)")
                }
            }
        }
        try writer.flush()
        written.lines = writer.linesWritten
        return written
    }
}
