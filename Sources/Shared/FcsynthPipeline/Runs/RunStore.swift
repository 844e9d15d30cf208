import FcsynthCore
import FcsynthRedis
import Foundation

/// The coordinator's view of one run: creating it, adding rows, and reading its state.
public struct RunStore: Sendable {
    public let redis: RedisClient
    public let keys: RunKeys

    public init(redis: RedisClient, keys: RunKeys) {
        self.redis = redis
        self.keys = keys
    }

    public var run: String { keys.run }

    /// Creates the run, or checks that an existing one has the same settings and input, and
    /// returns where a previous enqueue of it stopped; in one atomic step, so that two enqueues
    /// started at once cannot both bind it. A run takes one input: its rows' numbers are the
    /// items' ids and the resume cursor's position. An input none of whose rows went in (its
    /// enqueue failed at once) may be replaced.
    public func prepare(settings: RunSettings, input: String) async throws -> EnqueueCursor {
        try RunKeys.validate(run: run)
        let encoded = try JSONCoding.encodeString(settings)
        let reply = try await PipelineScripts.bindInput.evaluate(on: redis, keys: keys, arguments: [encoded, input])
        let parts = reply.array?.map { $0.string ?? "" } ?? []
        switch parts.first {
        case "ok" where parts.count == 4:
            try await redis.send("SADD", RunKeys.runs(namespace: keys.namespace), run)
            return Self.cursor(rows: parts[1], offset: parts[2], digest: parts[3])
        case "settings" where parts.count == 2:
            let existing = try? JSONCoding.decode(RunSettings.self, from: parts[1])
            throw PipelineError.settingsMismatch(run: run, detail: Self.difference(existing, settings))
        case "cancelled":
            throw PipelineError.runCancelled(run)
        case "other_input" where parts.count == 2:
            throw PipelineError.otherInput(run: run, enqueued: parts[1], input: input)
        default:
            throw RedisError.unexpectedReply("bind_input returned \(reply)")
        }
    }

    /// Where the last enqueue batch that reached Redis left off.
    public func cursor() async throws -> EnqueueCursor {
        let reply = try await redis.send("HMGET", keys.meta, "cursor_rows", "cursor_offset", "cursor_digest")
        let fields = reply.array?.map { $0.string ?? "" } ?? []
        guard fields.count == 3 else { throw RedisError.unexpectedReply("HMGET returned \(reply)") }
        return Self.cursor(rows: fields[0], offset: fields[1], digest: fields[2])
    }

    /// The token of the enqueue whose batch moved the cursor last (`cursor_by`).
    public func cursorAuthor() async throws -> String? {
        try await redis.send("HGET", keys.meta, "cursor_by").string
    }

    private static func cursor(rows: String, offset: String, digest: String) -> EnqueueCursor {
        EnqueueCursor(rows: Int(rows) ?? 0, offset: Int64(offset) ?? 0, digest: InputDigest(text: digest))
    }

    /// Adds a batch of rows to the first queue and moves the cursor past them, atomically: a
    /// crash either side of it neither loses nor repeats a row. It applies only if the cursor
    /// still stands at `start` and the run still takes rows from `input`. Rows whose seed chat
    /// the run already holds are skipped and returned as duplicates.
    public func append(
        _ rows: [EnqueueRow], rejected: Int, input: String, from start: EnqueueCursor, to cursor: EnqueueCursor,
        author: String = ""
    ) async throws -> EnqueueBatchResult {
        let script = PipelineScripts.enqueueRows
        // Each row names its bucket by the bucket key's place in KEYS, after the fixed keys.
        var buckets: [String: Int] = [:]
        var bucketOrder: [String] = []
        var arguments: [any RedisArgument] = [
            input, start.rows, cursor.rows, cursor.offset, cursor.digest?.text ?? "", rejected, author,
        ]
        for row in rows {
            let bucket = row.bucket
            if buckets[bucket] == nil {
                bucketOrder.append(bucket)
                buckets[bucket] = script.keys.count + bucketOrder.count
            }
            arguments.append(contentsOf: [buckets[bucket]!, row.field, row.line, row.entry] as [any RedisArgument])
        }
        let reply = try await script.evaluate(on: redis, keys: keys, parts: bucketOrder, arguments: arguments)
        guard let parts = reply.array, let code = parts.first?.integer else {
            throw RedisError.unexpectedReply("enqueue_rows returned \(reply)")
        }
        let text = parts.dropFirst().map { $0.string ?? "" }
        switch code {
        case -1 where text.count == 3:
            return .cursorMoved(Self.cursor(rows: text[0], offset: text[1], digest: text[2]))
        case -2 where text.count == 1:
            return .otherInput(text[0])
        case -3 where text.count == 1:
            return .notTakingRows(state: text[0])
        case 0... where parts.count == 2:
            let numbers = parts[1].array?.compactMap { $0.integer.map(Int.init) } ?? []
            let duplicates = stride(from: 0, to: numbers.count - 1, by: 2).map {
                (line: numbers[$0], original: numbers[$0 + 1])
            }
            return .applied(queueLength: Int(code), duplicates: duplicates)
        default:
            throw RedisError.unexpectedReply("enqueue_rows returned \(reply)")
        }
    }

    public func firstQueueLength() async throws -> Int {
        Int(try await redis.send("LLEN", keys.queue(.scenarioExtract)).integer ?? 0)
    }

    /// Ends an enqueue (see `end_enqueue.lua`): `.enqueued` once its input is complete, or
    /// `.stopped` with the file error that ended it. `input` nil: whichever input the run has.
    /// Returns the state found instead when the run was not taking rows (cancelled, or rebound).
    @discardableResult
    public func endEnqueue(_ state: RunState, input: String?, error: String = "") async throws -> String? {
        let reply = try await PipelineScripts.endEnqueue.evaluate(
            on: redis, keys: keys, arguments: [state.rawValue, input ?? "", error])
        guard let parts = reply.array, parts.count == 2, let changed = parts[0].integer else {
            throw RedisError.unexpectedReply("end_enqueue returned \(reply)")
        }
        return changed == 1 ? nil : parts[1].string
    }

    private static func difference(_ existing: RunSettings?, _ wanted: RunSettings) -> String {
        guard let existing else { return "the stored settings are unreadable" }
        let old = (try? JSONCoding.decode([String: JSONValue].self, from: JSONCoding.encode(existing))) ?? [:]
        let new = (try? JSONCoding.decode([String: JSONValue].self, from: JSONCoding.encode(wanted))) ?? [:]
        var changed = Set(old.keys).union(new.keys).filter { old[$0] != new[$0] }
        if changed.contains("pipeline"), let oldPipeline = old["pipeline"]?.objectValue,
            let newPipeline = new["pipeline"]?.objectValue
        {
            changed.remove("pipeline")
            changed.formUnion(
                Set(oldPipeline.keys).union(newPipeline.keys).filter { oldPipeline[$0] != newPipeline[$0] })
        }
        return "differs in " + changed.sorted().joined(separator: ", ")
    }
}
