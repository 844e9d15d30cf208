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
        return builder.report(run: run, status: status, filtered: removed.filtered, dead: removed.dead, prices: prices)
    }
}
