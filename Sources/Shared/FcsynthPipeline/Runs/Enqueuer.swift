import FcsynthCore
import FcsynthRedis
import Foundation

/// Streams an input file into a run's first queue in constant memory, batch by batch, each
/// batch and the resume cursor written in one atomic step. Bad rows, and rows whose seed chat
/// the run already holds, are reported and skipped.
public struct Enqueuer: Sendable {
    public let store: RunStore
    public let options: EnqueueOptions

    public init(store: RunStore, options: EnqueueOptions) {
        self.store = store
        self.options = options
    }

    public func enqueue(
        path: String, cursor start: EnqueueCursor,
        onRejection: (RowRejection) -> Void,
        onProgress: (EnqueueProgress) -> Void = { _ in }
    ) async throws -> EnqueueReport {
        let file = try InputFile(path: path)
        let canSeek = !file.isCompressed && start.offset > 0
        let reader = try InputRecordReader(
            file: file, maxRowBytes: options.maxRowBytes,
            offset: canSeek ? start.offset : 0, rows: canSeek ? start.rows : 0)
        let validator = RowValidator(
            inputKey: options.inputKey, maxRowBytes: options.maxRowBytes, layout: reader.layout)
        var report = EnqueueReport(resumedAfter: start.rows)
        var batch: [EnqueueRow] = []
        /// Where each row of the batch starts, for messages about repeats.
        var batchLines: [Int: Int] = [:]
        var rejectedInBatch = 0
        var cursor = start
        var bytesRead = start.offset
        var lastProgress = ContinuousClock.now

        func flush(waitForRoom: Bool) async throws {
            let result = try await appendSurvivingOutages(batch, rejected: rejectedInBatch, cursor: cursor)
            for duplicate in result.duplicates {
                let line = batchLines[duplicate.line] ?? duplicate.line
                let element = reader.layout == .jsonArray ? duplicate.line : nil
                let original =
                    reader.layout == .jsonArray ? "element \(duplicate.original)" : "line \(duplicate.original)"
                onRejection(
                    RowRejection(
                        line: line, element: element,
                        reason: "repeats \(original) (the same \"\(options.inputKey)\"); skipped"))
            }
            report.enqueued += batch.count - result.duplicates.count
            report.rejected += result.duplicates.count
            batch.removeAll(keepingCapacity: true)
            batchLines.removeAll(keepingCapacity: true)
            rejectedInBatch = 0
            if waitForRoom && result.queueLength > options.highWaterMark {
                try await waitForRoomInQueue(progress: { onProgress(progress(waiting: true)) })
            }
        }

        func progress(waiting: Bool) -> EnqueueProgress {
            EnqueueProgress(
                rows: cursor.rows, enqueued: report.enqueued + batch.count, rejected: report.rejected,
                bytesRead: bytesRead, totalBytes: file.isCompressed ? nil : file.size, waitingForWorkers: waiting)
        }

        while let record = try reader.next() {
            if record.number <= start.rows { continue }
            // Only JSON Lines can resume by seeking; an array file is re-read up to the cursor.
            cursor = EnqueueCursor(rows: record.number, offset: reader.layout == .jsonLines ? record.endOffset : 0)
            bytesRead = record.endOffset
            switch validator.seed(of: record) {
            case .success(let seed):
                let item = WorkItem(id: String(record.number), line: record.number, seed: seed)
                let entry = try TaskEnvelope(run: store.run, stage: .scenarioExtract, item: item).encoded()
                batch.append(EnqueueRow(line: record.number, seed: seed, entry: entry))
                batchLines[record.number] = record.line
            case .failure(let rejection):
                report.rejected += 1
                rejectedInBatch += 1
                onRejection(rejection)
            }
            if batch.count >= options.batchSize || rejectedInBatch >= options.batchSize {
                try await flush(waitForRoom: true)
                if ContinuousClock.now - lastProgress > .milliseconds(200) {
                    onProgress(progress(waiting: false))
                    lastProgress = .now
                }
            }
        }
        if !batch.isEmpty || rejectedInBatch > 0 || cursor != start {
            try await flush(waitForRoom: false)
        }
        try await store.markEnqueued()
        onProgress(progress(waiting: false))
        return report
    }

    /// Appends a batch; when the connection drops, waits for Redis and asks it whether the
    /// transaction went through (the cursor moved with it) before sending it again, so that a
    /// Redis restart neither stops the enqueue nor doubles a batch.
    /// Repeats in a batch whose reply was lost are counted in Redis but go unreported.
    private func appendSurvivingOutages(
        _ batch: [EnqueueRow], rejected: Int, cursor: EnqueueCursor
    ) async throws -> EnqueueBatchResult {
        var delay = Duration.milliseconds(200)
        let deadline = ContinuousClock.now + .seconds(options.outageTolerance)
        while true {
            do {
                return try await store.append(batch, rejected: rejected, cursor: cursor)
            } catch let error as RedisError where error.isConnectionError && ContinuousClock.now < deadline {
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(2))
                if let stored = try? await store.cursor(), stored.rows >= cursor.rows {
                    return EnqueueBatchResult(queueLength: try await store.firstQueueLength(), duplicates: [])
                }
            }
        }
    }

    /// Holds enqueue back while workers catch up, so that Redis memory stays bounded.
    private func waitForRoomInQueue(progress: () -> Void) async throws {
        while try await store.firstQueueLength() > options.highWaterMark {
            progress()
            try await Task.sleep(for: .milliseconds(500))
        }
    }
}
