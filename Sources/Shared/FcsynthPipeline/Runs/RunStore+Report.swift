import FcsynthCore
import FcsynthRedis

extension RunStore {
    /// The run's dataset report: every record the output stream holds, read in pages, with the
    /// counters and the removed lists (up to `removedLimit` entries of each).
    public func report(prices: RunEstimate.Prices? = nil, removedLimit: Int = 1_000_000) async throws -> DatasetReport {
        let status = try await status()
        var builder = DatasetReportBuilder()
        var cursor: String?
        while true {
            let page = try await readOutput(after: cursor, count: 1_000)
            guard let last = page.last else { break }
            for entry in page {
                if let record = try? JSONCoding.decode(ConversationRecord.self, from: entry.record) {
                    builder.add(record)
                }
            }
            cursor = last.streamID
        }
        let removed = try await removedItems(limit: removedLimit)
        var report = builder.report(
            run: run, status: status, filtered: removed.filtered, dead: removed.dead, prices: prices)
        if let stored = try await redis.send("GET", keys.settings).data,
            let catalog = try? JSONCoding.decode(RunSettings.self, from: stored).pipeline.catalog
        {
            let counters = try await redis.send("HGETALL", keys.counters).fieldValues.mapValues {
                Int($0.string ?? "") ?? 0
            }
            report.catalogCoverage = builder.coverage(
                of: catalog, counters: counters, filtered: removed.filtered, incomplete: !status.complete)
        }
        return report
    }
}
