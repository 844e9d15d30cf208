import FcsynthCore
import FcsynthRedis
import Foundation

/// Writes a run's output stream as JSON Lines in one format: once, or with `follow` until the
/// run is complete. A following export to a file syncs and saves its progress after every
/// batch (at least once a second while entries arrive) and resumes from it when started
/// again. With a destination name it acknowledges what it has synced, and the stream is
/// trimmed only below what every destination has acknowledged.
public final class RunExporter {
    public struct Options: Sendable {
        public var format: ExportFormat
        public var follow: Bool
        public var style = ExportStyle.standard
        public var excludeSimulated = false
        /// Replace function names with neutral identifiers, consistently within each record.
        public var maskFunctionNames = false
        /// The name acknowledgements are made under; nil registers nothing and trims nothing.
        public var destination: String?

        public init(format: ExportFormat, follow: Bool, destination: String? = nil) {
            self.format = format
            self.follow = follow
            self.destination = destination
        }

        /// Everything the stream holds now, once.
        public static func once(_ format: ExportFormat) -> Options {
            Options(format: format, follow: false)
        }

        /// Until the run is complete, acknowledging under `destination`.
        public static func following(_ format: ExportFormat, destination: String?) -> Options {
            Options(format: format, follow: true, destination: destination)
        }
    }

    /// What an export did, and what it should have: `expected` is the run's `output` counter
    /// when the export began (once) or ended (follow).
    public struct Result: Sendable {
        public var progress: ExportProgress
        public var expected: Int
        /// Stopped on request before the end; the progress is saved.
        public var stopped: Bool
        public var resumed: Bool

        public var shortfall: ExportShortfall? {
            stopped || progress.handled >= expected
                ? nil : ExportShortfall(handled: progress.handled, output: expected)
        }
    }

    private let store: RunStore
    private let blockingClient: RedisClient?
    private let options: Options
    /// A file path, or `-` for standard output.
    private let output: String
    private let batchSize = 1_000

    /// `blockingClient` waits for new entries when following (a blocking read holds its connection).
    public init(store: RunStore, output: String, options: Options, blockingClient: RedisClient? = nil) {
        self.store = store
        self.output = output
        self.options = options
        self.blockingClient = blockingClient
    }

    /// `FILE.progress.json`, where a following export to a file keeps its progress.
    public static func progressURL(for output: String) -> URL {
        URL(fileURLWithPath: output + ".progress.json")
    }

    /// Exports until the end, or until `shouldStop` says so (checked between batches and at
    /// least once a second); `report` hears of records the format cannot express.
    public func run(
        shouldStop: @Sendable () -> Bool = { false }, report: (String) -> Void = { _ in }
    ) async throws -> Result {
        let startingOutput = try await store.status().output
        var (sink, progress, resumed) = try open()
        if let destination = options.destination {
            try await store.acknowledgeExport(destination: destination, through: progress.streamID ?? "0-0")
        }
        let styled = options.format.makeFormatter(style: options.style)
        let formatter: any ConversationFormatter = options.maskFunctionNames ? MaskingFormatter(base: styled) : styled
        var unsynced = false
        var lastSync = ContinuousClock.now
        var toldStopped = false
        func checkpoint() async throws {
            progress.bytes = try sink.sync()
            if options.follow, output != "-" {
                try JSONCoding.encode(progress).write(to: Self.progressURL(for: output), options: .atomic)
            }
            if let destination = options.destination, let streamID = progress.streamID {
                try await store.acknowledgeExport(destination: destination, through: streamID)
            }
            unsynced = false
            lastSync = .now
        }

        while true {
            if shouldStop() {
                try await checkpoint()
                return Result(progress: progress, expected: startingOutput, stopped: true, resumed: resumed)
            }
            var entries = try await store.readOutput(after: progress.streamID, count: batchSize)
            if entries.isEmpty {
                if unsynced { try await checkpoint() }
                guard options.follow else { break }
                let status = try await store.status()
                if status.complete {
                    entries = try await store.readOutput(after: progress.streamID, count: batchSize)
                    if entries.isEmpty { break }
                } else {
                    // A stopped enqueue waits on its user; say so once, rather than wait in silence.
                    if status.state == RunState.stopped.rawValue, !toldStopped {
                        report(
                            "run \(store.run): its enqueue stopped (\(status.enqueueError ?? "file error")); waiting "
                                + "until it is resumed, or its input closed with fcsynth close-input --run \(store.run)"
                        )
                    }
                    toldStopped = status.state == RunState.stopped.rawValue
                    // Acknowledged again while waiting, about once a second: only an acknowledgement
                    // trims, so a capped run held by a destination since removed by hand waits for
                    // the next one; and a destination removed while it runs registers again.
                    if let destination = options.destination {
                        try await store.acknowledgeExport(
                            destination: destination, through: progress.streamID ?? "0-0")
                    }
                    if let blockingClient {
                        entries = try await store.waitForOutput(
                            after: progress.streamID, count: batchSize, seconds: 1, using: blockingClient)
                    } else {
                        try await Task.sleep(for: .seconds(1))
                    }
                }
            }
            for entry in entries {
                progress.streamID = entry.streamID
                unsynced = true
                do {
                    let record = try JSONCoding.decode(ConversationRecord.self, from: entry.record)
                    if options.excludeSimulated && !ProvenanceTally.isReal(record) {
                        progress.provenance.excludedSimulated += 1
                        continue
                    }
                    try sink.writer.write(try formatter.line(for: progress.fitted(record)))
                    progress.lines += 1
                    progress.provenance.count(record)
                } catch {
                    progress.refused += 1
                    report("conversation \(entry.conversationID): \(error)")
                }
            }
            if unsynced, entries.count < batchSize || ContinuousClock.now - lastSync >= .seconds(1) {
                try await checkpoint()
            }
        }
        try await checkpoint()
        let expected = options.follow ? try await store.status().output : startingOutput
        return Result(progress: progress, expected: expected, stopped: false, resumed: resumed)
    }

    /// The file (cut back to the saved progress when a following export resumes), or standard
    /// output. Saved progress of another run or format is not resumed: the file starts over; of
    /// another style, it is refused (`ExportStyleMismatch`).
    private func open() throws -> (ExportSink, ExportProgress, resumed: Bool) {
        var fresh = ExportProgress(run: store.run, format: options.format)
        fresh.maskedFunctionNames = options.maskFunctionNames
        fresh.style = options.style
        guard output != "-" else { return (ExportSink(handle: .standardOutput, isFile: false), fresh, false) }
        let progressURL = Self.progressURL(for: output)
        if options.follow, FileManager.default.fileExists(atPath: output),
            let data = try? Data(contentsOf: progressURL),
            let saved = try? JSONCoding.decode(ExportProgress.self, from: data),
            saved.run == fresh.run, saved.format == fresh.format
        {
            let fileMasked = saved.maskedFunctionNames ?? false
            guard fileMasked == options.maskFunctionNames else {
                throw ExportMaskingMismatch(path: output, fileMasked: fileMasked)
            }
            let savedStyle = saved.style ?? .standard
            guard savedStyle == options.style else {
                throw ExportStyleMismatch(path: output, saved: savedStyle, requested: options.style)
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
            try handle.truncate(atOffset: saved.bytes)
            try handle.seekToEnd()
            return (ExportSink(handle: handle, isFile: true), saved, true)
        }
        try? FileManager.default.removeItem(at: progressURL)
        guard FileManager.default.createFile(atPath: output, contents: nil) else {
            throw ExportFileError(path: output)
        }
        return (
            ExportSink(handle: try FileHandle(forWritingTo: URL(fileURLWithPath: output)), isFile: true), fresh, false
        )
    }
}
