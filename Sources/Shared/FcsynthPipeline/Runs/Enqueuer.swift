import FcsynthCore
import FcsynthRedis
import Foundation

/// Streams an input file into a run's first queue in constant memory, batch by batch, each
/// batch and the resume cursor written in one atomic step. Bad rows, and rows whose seed chat
/// the run already holds, are reported and skipped. A resume first checks that the file still
/// begins with the bytes the cursor was made of; a file error ends the enqueue as `stopped`,
/// keeping the rows before it.
public struct Enqueuer: Sendable {
    public let store: RunStore
    public let options: EnqueueOptions
    /// Names this enqueue's batches in Redis, so that after a lost reply it knows whether the
    /// cursor it finds there is its own batch's or another enqueue's of the same input.
    let token = UUID().uuidString

    public init(store: RunStore, options: EnqueueOptions) {
        self.store = store
        self.options = options
    }

    /// `input` is the file's identity the run was bound to (`RunStore.prepare`), and `start`
    /// the cursor that returned.
    package func enqueue(
        _ file: InputFile, input: String, cursor start: EnqueueCursor,
        onRejection: (RowRejection) -> Void,
        onProgress: (EnqueueProgress) -> Void = { _ in }
    ) async throws -> EnqueueReport {
        // A file error or a changed file leaves the run `stopped`, so that status says how to go on.
        do {
            return try await stream(file, input: input, cursor: start, onRejection: onRejection, onProgress: onProgress)
        } catch let error as InputError {
            try await store.endEnqueue(.stopped, input: input, error: error.description)
            throw PipelineError.enqueueStopped(run: store.run, rows: start.rows, error: error.description)
        } catch let error as PipelineError {
            switch error {
            case .enqueueStopped(_, _, let message):
                try await store.endEnqueue(.stopped, input: input, error: message)
            case .inputChanged(_, let path, _, let detail):
                try await store.endEnqueue(.stopped, input: input, error: "\(path) changed: \(detail)")
            default:
                break
            }
            throw error
        }
    }

    private func stream(
        _ file: InputFile, input: String, cursor start: EnqueueCursor,
        onRejection: (RowRejection) -> Void,
        onProgress: (EnqueueProgress) -> Void
    ) async throws -> EnqueueReport {
        let (reader, verified) = try resumeReader(file, at: start)
        let validator = RowValidator(
            inputKey: options.inputKey, maxRowBytes: options.maxRowBytes, layout: reader.layout)
        var report = EnqueueReport(resumedAfter: start.rows)
        /// The rows read after those in flight.
        var batch = EnqueueBatch()
        /// The batch on its way to Redis, from `committed` to `end`, while the next is read, so
        /// that reading and Redis's work on the one before overlap.
        var inFlight: (batch: EnqueueBatch, end: EnqueueCursor, result: Task<EnqueueBatchResult, any Error>)?
        /// Where Redis's cursor stands, as far as this enqueue knows: another enqueue of the
        /// same input may move it.
        var committed = start
        /// After the last row read into the batch.
        var cursor = start
        var startVerified = verified
        var bytesRead = start.offset
        var lastProgress = ContinuousClock.now

        func send() {
            guard inFlight == nil, cursor != committed else { return }
            let (sent, from, end) = (batch, committed, cursor)
            inFlight = (
                sent, end,
                Task { try await appendSurvivingOutages(sent, input: input, from: from, to: end) }
            )
            batch = EnqueueBatch()
        }

        /// Waits for the batch in flight to be taken, sending again what another enqueue of
        /// the input did not take first.
        func settle(waitForRoom: Bool) async throws {
            guard let (batchSent, end, reply) = inFlight else { return }
            inFlight = nil
            var sent = batchSent
            var result = try await reply.value
            while true {
                switch result {
                case .applied(let queueLength, let duplicates):
                    for rejection in sent.rejections(adding: duplicates, layout: reader.layout, key: options.inputKey) {
                        onRejection(rejection)
                    }
                    report.enqueued += sent.rows.count - duplicates.count
                    report.duplicates += duplicates.count
                    report.rejected += sent.rejected.count
                    committed = end
                    if waitForRoom && queueLength > options.highWaterMark {
                        try await waitForRoomInQueue(progress: { onProgress(progress(waiting: true)) })
                    }
                    return
                case .cursorMoved(let stored) where stored.rows > committed.rows:
                    // Another enqueue of this input took these rows first: keep only those after
                    // its cursor, and skip what it took from here on.
                    committed = stored
                    sent.drop(through: stored.rows)
                    batch.drop(through: stored.rows)
                    if stored.rows >= cursor.rows { cursor = stored }
                    if stored.rows >= end.rows { return }
                    result = try await appendSurvivingOutages(sent, input: input, from: committed, to: end)
                case .cursorMoved:
                    throw PipelineError.enqueueOverruled(
                        run: store.run, reason: "was restarted by another enqueue (its cursor moved back)")
                case .otherInput(let other):
                    throw PipelineError.enqueueOverruled(
                        run: store.run, reason: other.isEmpty ? "was purged" : "was bound to another input (\(other))")
                case .notTakingRows(let state):
                    throw PipelineError.enqueueOverruled(run: store.run, reason: Self.explain(state: state))
                }
            }
        }

        /// Sends what is read and waits until Redis has all of it.
        func flush() async throws {
            try await settle(waitForRoom: false)
            send()
            try await settle(waitForRoom: false)
        }

        func progress(waiting: Bool) -> EnqueueProgress {
            EnqueueProgress(
                rows: cursor.rows, enqueued: report.enqueued + (inFlight?.batch.rows.count ?? 0) + batch.rows.count,
                rejected: report.rejected,
                bytesRead: bytesRead, totalBytes: file.isCompressed ? nil : file.size, waitingForWorkers: waiting)
        }

        func next() async throws -> InputRecord? {
            do {
                return try reader.next()
            } catch {
                // The rows read before the error go in; the error says where the run stands.
                try await flush()
                throw PipelineError.enqueueStopped(run: store.run, rows: committed.rows, error: error.description)
            }
        }

        do {
            while let record = try await next() {
                if !startVerified && record.number >= start.rows {
                    // A re-read resume (gzip, JSON array, stdin) meets the cursor's last row again.
                    guard record.number == start.rows, start.digest == nil || record.digest == start.digest else {
                        throw PipelineError.inputChanged(
                            run: store.run, input: file.path, rows: start.rows,
                            detail: "its rows up to row \(start.rows) differ from those the run read")
                    }
                    startVerified = true
                }
                if record.number <= committed.rows { continue }
                // Only JSON Lines can resume by seeking; an array file is re-read up to the cursor.
                cursor = EnqueueCursor(
                    rows: record.number, offset: reader.layout == .jsonLines ? record.endOffset : 0,
                    digest: record.digest)
                bytesRead = record.endOffset
                switch validator.seed(of: record) {
                case .success(let seed):
                    let entry = TaskEnvelope.seedEntry(
                        run: store.run, id: String(record.number), line: record.number, seed: seed)
                    batch.add(EnqueueRow(line: record.number, seed: seed, entry: entry), startingOnLine: record.line)
                case .failure(let rejection):
                    batch.reject(rejection, row: record.number)
                }
                if batch.rows.count >= options.batchSize || batch.rejected.count >= options.batchSize {
                    try await settle(waitForRoom: true)
                    send()
                    if ContinuousClock.now - lastProgress > .milliseconds(200) {
                        onProgress(progress(waiting: false))
                        lastProgress = .now
                    }
                }
            }
        } catch {
            // A batch still on its way lands, or does not, before the error is told.
            _ = try? await inFlight?.result.value
            throw error
        }
        guard startVerified else {
            throw PipelineError.inputChanged(
                run: store.run, input: file.path, rows: start.rows,
                detail: "it ends before row \(start.rows), where the run's enqueue stood")
        }
        try await flush()
        // Another enqueue of the same input may have ended it first: that is the same end.
        if let state = try await store.endEnqueue(.enqueued, input: input), state != RunState.enqueued.rawValue {
            throw PipelineError.enqueueOverruled(run: store.run, reason: Self.explain(state: state))
        }
        onProgress(progress(waiting: false))
        return report
    }

    /// A reader positioned at the cursor. A plain JSON Lines file seeks there once its first
    /// `offset` bytes are found unchanged (returns true: verified); any other input is re-read
    /// from its top, and checked when the cursor's last row comes by again.
    private func resumeReader(_ file: InputFile, at start: EnqueueCursor) throws -> (InputRecordReader, Bool) {
        guard start.rows > 0 else {
            return (try InputRecordReader(file: file, maxRowBytes: options.maxRowBytes), true)
        }
        guard file.canSeek, start.offset > 0, let size = file.size else {
            return (try InputRecordReader(file: file, maxRowBytes: options.maxRowBytes), start.digest == nil)
        }
        guard size >= start.offset else {
            throw PipelineError.inputChanged(
                run: store.run, input: file.path, rows: start.rows,
                detail: "it is \(size) bytes long, shorter than the \(start.offset) bytes the run has read")
        }
        if let expected = start.digest, try file.digest(ofFirst: start.offset) != expected {
            throw PipelineError.inputChanged(
                run: store.run, input: file.path, rows: start.rows,
                detail: "its first \(start.offset) bytes differ from those the run read")
        }
        let reader = try InputRecordReader(
            file: file, maxRowBytes: options.maxRowBytes, offset: start.offset, rows: start.rows,
            digest: start.digest ?? InputDigest())
        return (reader, true)
    }

    private static func explain(state: String) -> String {
        switch RunState(rawValue: state) {
        case .cancelled: "was cancelled"
        case .enqueued: "had its input closed (fcsynth close-input)"
        case .none where state == "missing": "was purged"
        default: "is \(state)"
        }
    }

    /// Appends a batch; when the connection drops, waits for Redis and asks it whether the
    /// transaction went through (the cursor moved with it) before sending it again, so that a
    /// Redis restart neither stops the enqueue nor doubles a batch.
    /// Repeats in a batch whose reply was lost are counted in Redis but go unreported.
    private func appendSurvivingOutages(
        _ batch: EnqueueBatch, input: String, from start: EnqueueCursor, to cursor: EnqueueCursor
    ) async throws -> EnqueueBatchResult {
        var delay = Duration.milliseconds(200)
        let deadline = ContinuousClock.now + .seconds(options.outageTolerance)
        while true {
            do {
                return try await store.append(
                    batch.rows, rejected: batch.rejected.count, input: input, from: start, to: cursor, author: token)
            } catch let error as RedisError where error.isConnectionError && ContinuousClock.now < deadline {
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(2))
                // The reply was lost: the cursor where this batch would have put it is this
                // batch's only if this enqueue put it there; another's is a cursor that moved.
                if let stored = try? await store.cursor(), stored.rows >= cursor.rows {
                    guard stored == cursor, try await store.cursorAuthor() == token else { return .cursorMoved(stored) }
                    return .applied(queueLength: try await store.firstQueueLength(), duplicates: [])
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
