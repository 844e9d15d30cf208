import Foundation
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

extension PipelineFixture {
    /// Reads the run's whole output stream and checks each conversation: it decodes, passes
    /// `ConversationValidator`, belongs to the run, and has an id no other entry has.
    @discardableResult
    func expectValidStream(
        _ run: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [ConversationRecord] {
        let entries = try await stream(run)
        var records: [ConversationRecord] = []
        for entry in entries {
            let record = try JSONCoding.decode(ConversationRecord.self, from: entry.record)
            #expect(entry.conversationID == record.id, sourceLocation: sourceLocation)
            #expect(record.lineage.run == run, sourceLocation: sourceLocation)
            let violations = ConversationValidator.validate(record)
            #expect(violations.isEmpty, "conversation \(record.id): \(violations)", sourceLocation: sourceLocation)
            records.append(record)
        }
        let ids = records.map(\.id)
        #expect(
            Set(ids).count == ids.count, "run \(run): \(ids.count - Set(ids).count) duplicate conversation ids",
            sourceLocation: sourceLocation)
        return records
    }

    /// `fcsynth export --run RUN --format FORMAT` into a file; returns its lines.
    func export(_ run: String, format: ExportFormat) async throws -> [[UInt8]] {
        let file = file("\(run).\(format.rawValue).jsonl")
        let outcome = try await fcsynth(["export", "--run", run, "-o", file.path, "--format", format.rawValue])
        guard outcome.status == 0 else { throw FixtureFailure("export exited \(outcome.status): \(outcome.output)") }
        return Self.lines(of: file)
    }

    static func lines(of file: URL) -> [[UInt8]] {
        let data = (try? Data(contentsOf: file)) ?? Data()
        return data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).map(Array.init)
    }
}
