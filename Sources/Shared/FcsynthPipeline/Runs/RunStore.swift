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
    /// returns where a previous enqueue of it stopped. A run takes one input file: its rows'
    /// line numbers are the items' ids and the resume cursor's position.
    public func prepare(settings: RunSettings, input: String) async throws -> EnqueueCursor {
        try RunKeys.validate(run: run)
        let encoded = try JSONCoding.encodeString(settings)
        let replies = try await redis.execute([
            RedisCommand("SET", keys.settings, encoded, "NX"),
            RedisCommand("GET", keys.settings),
            RedisCommand("HMGET", keys.meta, "state", "cursor_rows", "cursor_offset", "input"),
        ])
        let stored = try replies[1].orThrow().string ?? encoded
        if stored != encoded {
            let existing = try? JSONCoding.decode(RunSettings.self, from: stored)
            throw PipelineError.settingsMismatch(run: run, detail: Self.difference(existing, settings))
        }
        let meta = try replies[2].orThrow().array ?? []
        if meta.first?.string == "cancelled" { throw PipelineError.runCancelled(run) }
        if meta.count > 3, let previous = meta[3].string, previous != input {
            throw PipelineError.otherInput(run: run, enqueued: previous, input: input)
        }
        for reply in try await redis.execute([
            RedisCommand("HSET", keys.meta, "state", "enqueuing", "input", input),
            RedisCommand("HSETNX", keys.meta, "created_at", Int64(Date().timeIntervalSince1970)),
            RedisCommand("SADD", RunKeys.runs(namespace: keys.namespace), run),
        ]) {

            _ = try reply.orThrow()

        }
        return Self.cursor(from: Array(meta.dropFirst().prefix(2)))
    }

    /// Where the last enqueue batch that reached Redis left off.
    public func cursor() async throws -> EnqueueCursor {
        let reply = try await redis.send("HMGET", keys.meta, "cursor_rows", "cursor_offset")
        return Self.cursor(from: reply.array ?? [])
    }

    private static func cursor(from fields: [RedisReply]) -> EnqueueCursor {
        let rows = fields.count > 0 ? Int(fields[0].string ?? "") ?? 0 : 0
        let offset = fields.count > 1 ? Int64(fields[1].string ?? "") ?? 0 : 0
        return EnqueueCursor(rows: rows, offset: offset)
    }

    /// Adds a batch of rows to the first queue and moves the cursor past them, atomically: a
    /// crash either side of it neither loses nor repeats a row. Rows whose seed chat the run
    /// already holds are skipped and returned as duplicates.
    public func append(_ rows: [EnqueueRow], rejected: Int, cursor: EnqueueCursor) async throws -> EnqueueBatchResult {
        let script = PipelineScripts.enqueueRows
        // Each row names its bucket by the bucket key's place in KEYS, after the fixed keys.
        var buckets: [String: Int] = [:]
        var bucketOrder: [String] = []
        var arguments: [any RedisArgument] = [cursor.rows, cursor.offset, rejected]
        for row in rows {
            let bucket = row.bucket
            if buckets[bucket] == nil {
                bucketOrder.append(bucket)
                buckets[bucket] = script.keys.count + bucketOrder.count
            }
            arguments.append(contentsOf: [buckets[bucket]!, row.field, row.line, row.entry] as [any RedisArgument])
        }
        let reply = try await script.evaluate(on: redis, keys: keys, parts: bucketOrder, arguments: arguments)
        guard let parts = reply.array, parts.count == 2, let length = parts[0].integer else {
            throw RedisError.unexpectedReply("enqueue_rows returned \(reply)")
        }
        let numbers = parts[1].array?.compactMap { $0.integer.map(Int.init) } ?? []
        let duplicates = stride(from: 0, to: numbers.count - 1, by: 2).map {
            (line: numbers[$0], original: numbers[$0 + 1])
        }
        return EnqueueBatchResult(queueLength: Int(length), duplicates: duplicates)
    }

    public func firstQueueLength() async throws -> Int {
        Int(try await redis.send("LLEN", keys.queue(.scenarioExtract)).integer ?? 0)
    }

    public func markEnqueued() async throws {
        try await redis.send("HSET", keys.meta, "state", "enqueued", "enqueued_at", Int64(Date().timeIntervalSince1970))
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
