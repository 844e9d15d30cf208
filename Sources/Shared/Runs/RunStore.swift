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

    /// Creates the run, or checks that an existing one has the same settings, and returns
    /// where a previous enqueue of it stopped.
    public func prepare(settings: RunSettings, input: String) async throws -> EnqueueCursor {
        try RunKeys.validate(run: run)
        let encoded = try JSONCoding.encodeString(settings)
        let replies = try await redis.execute([
            RedisCommand("SET", keys.settings, encoded, "NX"),
            RedisCommand("GET", keys.settings),
            RedisCommand("HMGET", keys.meta, "state", "cursor_rows", "cursor_offset"),
        ])
        let stored = try replies[1].orThrow().string ?? encoded
        if stored != encoded {
            let existing = try? JSONCoding.decode(RunSettings.self, from: stored)
            throw PipelineError.settingsMismatch(run: run, detail: Self.difference(existing, settings))
        }
        let meta = try replies[2].orThrow().array ?? []
        if meta.first?.string == "cancelled" { throw PipelineError.runCancelled(run) }
        try await redis.execute([
            RedisCommand("HSET", keys.meta, "state", "enqueuing", "input", input),
            RedisCommand("HSETNX", keys.meta, "created_at", Int64(Date().timeIntervalSince1970)),
            RedisCommand("SADD", RunKeys.runs(namespace: keys.namespace), run),
        ]).forEach { _ = try $0.orThrow() }
        return Self.cursor(from: Array(meta.dropFirst()))
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

    /// Adds a batch of first-stage tasks and moves the cursor past them, atomically: a crash
    /// either side of it neither loses nor repeats a row. Returns the first queue's length.
    public func append(_ entries: [Data], rejected: Int, cursor: EnqueueCursor) async throws -> Int {
        var commands = [RedisCommand("MULTI")]
        if !entries.isEmpty {
            var push = RedisCommand("RPUSH", keys.queue(.scenarioExtract))
            for entry in entries { push.append(entry) }
            commands.append(push)
            commands.append(RedisCommand("HINCRBY", keys.counters, "rows_enqueued", entries.count))
            commands.append(RedisCommand("HINCRBY", keys.counters, "items", entries.count))
        }
        if rejected > 0 {
            commands.append(RedisCommand("HINCRBY", keys.counters, "rows_rejected", rejected))
        }
        commands.append(RedisCommand("HSET", keys.meta, "cursor_rows", cursor.rows, "cursor_offset", cursor.offset))
        commands.append(RedisCommand("LLEN", keys.queue(.scenarioExtract)))
        commands.append(RedisCommand("EXEC"))
        let replies = try await redis.execute(commands)
        guard let results = try replies.last?.orThrow().array, let length = results.last?.integer else {
            throw RedisError.unexpectedReply("enqueue transaction returned \(String(describing: replies.last))")
        }
        for result in results { _ = try result.orThrow() }
        return Int(length)
    }

    public func firstQueueLength() async throws -> Int {
        Int(try await redis.send("LLEN", keys.queue(.scenarioExtract)).integer ?? 0)
    }

    public func markEnqueued() async throws {
        try await redis.send("HSET", keys.meta, "state", "enqueued", "enqueued_at", Int64(Date().timeIntervalSince1970))
    }

    public func settings() async throws -> RunSettings {
        guard let data = try await redis.send("GET", keys.settings).data else { throw PipelineError.unknownRun(run) }
        return try JSONCoding.decode(RunSettings.self, from: data)
    }

    private static func difference(_ existing: RunSettings?, _ wanted: RunSettings) -> String {
        guard let existing else { return "the stored settings are unreadable" }
        let old = (try? JSONCoding.decode([String: JSONValue].self, from: JSONCoding.encode(existing))) ?? [:]
        let new = (try? JSONCoding.decode([String: JSONValue].self, from: JSONCoding.encode(wanted))) ?? [:]
        var changed = Set(old.keys).union(new.keys).filter { old[$0] != new[$0] }
        if changed.contains("pipeline"), let oldPipeline = old["pipeline"]?.objectValue, let newPipeline = new["pipeline"]?.objectValue {
            changed.remove("pipeline")
            changed.formUnion(Set(oldPipeline.keys).union(newPipeline.keys).filter { oldPipeline[$0] != newPipeline[$0] })
        }
        return "differs in " + changed.sorted().joined(separator: ", ")
    }
}
