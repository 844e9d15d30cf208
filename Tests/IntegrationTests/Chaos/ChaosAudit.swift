import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

/// Where every item of a finished run ended, read back from Redis (the output stream, the
/// filtered and dead lists) and from `fcsynth export --format raw`, against the ids the input
/// gave: each id must end exactly once, in exactly one place.
struct ChaosAudit {
    /// As `fcsynth status --run R --json` prints it.
    var status: RunStatus
    var streamIDs: [String]
    var exportIDs: [String]
    var filteredIDs: [String]
    var deadRecords: [[String: JSONValue]]
    /// The item ids the input rows gave: "1" … "N".
    var expected: Set<String>

    /// Dead records that name an item (garbage pushed by hand names none).
    var deadIDs: [String] { deadRecords.compactMap(Self.itemID(ofDead:)) }

    private var terminal: [String] { streamIDs + filteredIDs + deadIDs }

    /// Endings beyond the first, anywhere: twice in the stream, or in two places.
    var duplicates: Int { terminal.count - Set(terminal).count }
    var exportDuplicates: Int { exportIDs.count - Set(exportIDs).count }
    /// Input items that ended nowhere.
    var lost: Int { expected.subtracting(terminal).count }
    /// Items that ended but were never in the input.
    var strangers: Set<String> { Set(terminal).subtracting(expected) }
    var accounted: Bool { status.output + status.filtered + status.dead == status.items }
    var deadReasons: [String] { deadRecords.compactMap { $0["reason"]?.stringValue } }

    static func read(_ world: ChaosWorld) async throws -> ChaosAudit {
        let status = try await cliStatus(world)
        let keys = world.keys
        let filtered = try await world.client.send("LRANGE", keys.filtered, 0, -1).array ?? []
        let dead = try await world.client.send("LRANGE", keys.dead, 0, -1).array ?? []
        return ChaosAudit(
            status: status,
            streamIDs: try await streamIDs(world),
            exportIDs: try await exportIDs(world),
            filteredIDs: try filtered.compactMap {
                try JSONCoding.decode([String: JSONValue].self, from: $0.data ?? Data())["id"]?.stringValue
            },
            deadRecords: try dead.map { try JSONCoding.decode([String: JSONValue].self, from: $0.data ?? Data()) },
            expected: Set((1...world.rows).map(String.init)))
    }

    /// The checks every scenario shares: complete, accounted, nothing lost or doubled.
    /// `strangers` are the ids of garbage a scenario pushed by hand.
    func expectSound(strangers expectedStrangers: Set<String> = [], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(status.complete, sourceLocation: sourceLocation)
        #expect(
            accounted,
            "output \(status.output) + filtered \(status.filtered) + dead \(status.dead) != items \(status.items)",
            sourceLocation: sourceLocation)
        #expect(duplicates == 0, sourceLocation: sourceLocation)
        #expect(lost == 0, sourceLocation: sourceLocation)
        #expect(strangers == expectedStrangers, "\(strangers.sorted())", sourceLocation: sourceLocation)
        #expect(streamIDs.count == status.output, sourceLocation: sourceLocation)
        #expect(exportIDs.count == status.output, sourceLocation: sourceLocation)
        #expect(exportDuplicates == 0, sourceLocation: sourceLocation)
        #expect(filteredIDs.count == status.filtered, sourceLocation: sourceLocation)
    }

    /// `fcsynth status --run R --json`, the operator's view.
    private static func cliStatus(_ world: ChaosWorld) async throws -> RunStatus {
        let process = try world.coordinator(["status", "--run", world.run, "--json"], name: "status")
        #expect(await ChaosWorld.waitForExit(process, timeout: .seconds(30)))
        guard process.terminationStatus == 0,
            let line = process.output.split(separator: "\n").last(where: { $0.hasPrefix("{") })
        else {
            throw ChaosFailure.setup("fcsynth status failed: \(process.output)")
        }
        return try JSONCoding.decode(RunStatus.self, from: Data(line.utf8))
    }

    /// The `id` field of every entry in the output stream, read with XRANGE page by page.
    private static func streamIDs(_ world: ChaosWorld) async throws -> [String] {
        var ids: [String] = []
        var start = "-"
        while true {
            let page = try await world.client.send("XRANGE", world.keys.output, start, "+", "COUNT", 500).array ?? []
            for entry in page {
                guard let parts = entry.array, parts.count == 2, let fields = parts[1].array else { continue }
                var index = 0
                while index + 1 < fields.count {
                    if fields[index].string == "id", let id = fields[index + 1].string { ids.append(id) }
                    index += 2
                }
            }
            guard page.count == 500, let last = page.last?.array?.first?.string else { return ids }
            start = "(" + last
        }
    }

    /// The `id` of every line `fcsynth export --format raw` writes.
    private static func exportIDs(_ world: ChaosWorld) async throws -> [String] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "\(TestEnvironment.uniqueName("chaos-export")).jsonl")
        defer {
            try? FileManager.default.removeItem(at: file)
            try? FileManager.default.removeItem(atPath: file.path + ".meta.json")
        }
        let process = try world.coordinator(
            ["export", "--run", world.run, "-o", file.path, "--format", "raw"], name: "export")
        #expect(await ChaosWorld.waitForExit(process, timeout: .seconds(60)))
        guard process.terminationStatus == 0 else {
            throw ChaosFailure.setup("fcsynth export failed: \(process.output)")
        }
        return try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map { line in
            try JSONCoding.decode([String: JSONValue].self, from: Data(line.utf8))["id"]?.stringValue ?? ""
        }
    }

    /// A dead record names its item directly (a task that failed), or inside the task it
    /// carries (a task that took down too many workers).
    static func itemID(ofDead record: [String: JSONValue]) -> String? {
        if let id = record["id"]?.stringValue { return id }
        guard let task = record["task"]?.stringValue,
            let envelope = try? JSONCoding.decode([String: JSONValue].self, from: Data(task.utf8))
        else { return nil }
        return envelope["item"]?.objectValue?["id"]?.stringValue
    }
}
