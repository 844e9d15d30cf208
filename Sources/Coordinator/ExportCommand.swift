import ArgumentParser
import Foundation
import FcsynthCore
import FcsynthPipeline
import FcsynthRedis
import FcsynthSystem

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

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        SignalWatcher.ignoreSIGPIPE()
        let client = try connection.client()
        let store = try connection.store(run: run, client: client)
        _ = try await store.status()
        let written = try await Self.export(store: store, to: output, format: format, follow: follow,
                                            blockingClient: follow ? try connection.client() : nil)
        try await Self.writeMetadata(store: store, beside: output)
        Console.error("exported \(written.lines) conversations of run \(run)" + (written.refused > 0 ? ", \(written.refused) not expressible in \(format.rawValue) (see above)" : ""))
    }

    /// `FILE.meta.json` beside an exported file: the run's status at export time, with its
    /// tokens per stage and in total, for cost accounting.
    static func writeMetadata(store: RunStore, beside output: String) async throws {
        guard output != "-" else { return }
        try JSONCoding.encode(try await store.status()).write(to: URL(fileURLWithPath: output + ".meta.json"))
    }

    /// Shared with `fcsynth run`.
    static func export(store: RunStore, to output: String, format: ExportFormat, follow: Bool,
                       blockingClient: RedisClient?) async throws -> (lines: Int, refused: Int) {
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
        var refused = 0
        while true {
            var entries = try await store.readOutput(after: cursor, count: 1_000)
            if entries.isEmpty && follow {
                if try await store.status().complete {
                    entries = try await store.readOutput(after: cursor, count: 1_000)
                    if entries.isEmpty { break }
                } else if let blockingClient {
                    entries = try await store.waitForOutput(after: cursor, count: 1_000, seconds: 2, using: blockingClient)
                }
            }
            if entries.isEmpty && !follow { break }
            for entry in entries {
                cursor = entry.streamID
                do {
                    let record = try JSONCoding.decode(ConversationRecord.self, from: entry.record)
                    try writer.write(try formatter.line(for: record))
                } catch {
                    refused += 1
                    Console.error("conversation \(entry.conversationID): \(error)")
                }
            }
        }
        try writer.flush()
        return (writer.linesWritten, refused)
    }
}
