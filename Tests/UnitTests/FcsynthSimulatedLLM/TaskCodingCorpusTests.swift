import Foundation
import Testing

@testable import FcsynthCore
@testable import FcsynthSimulatedLLM

/// fcsynth's own decoder against Foundation's on what the queues and the output stream really
/// carry: every item each stage was given, and every record kept, from items run through all the
/// stages on the simulated model, both compositions.
@Suite struct TaskCodingCorpusTests {
    @Test(arguments: [CompositionSetting.sequential, .paraSeq])
    func itemsAndRecordsDecodeAsJSONDecoderDecodesThem(composition: CompositionSetting) async throws {
        let run = try await StageRunner(settings: PipelineOnSimulatorTests.settings(composition))
            .run(PipelineOnSimulatorTests.seeds(4))
        #expect(run.items.count > 100)
        #expect(run.items.contains { $0.conversation != nil })
        #expect(run.items.contains { $0.candidate != nil })
        #expect(!run.records.isEmpty)
        let oracle = JSONDecoder()
        for item in run.items {
            let bytes = try JSONCoding.encode(item)
            let ours = try JSONCoding.decode(WorkItem.self, from: bytes)
            #expect(ours == (try oracle.decode(WorkItem.self, from: bytes)), "\(item.id)")
            #expect(ours == item, "\(item.id)")
        }
        for record in run.records {
            let bytes = try JSONCoding.encode(record)
            #expect(try JSONCoding.decode(ConversationRecord.self, from: bytes) == record, "\(record.id)")
            #expect(try oracle.decode(ConversationRecord.self, from: bytes) == record, "\(record.id)")
        }
    }
}
