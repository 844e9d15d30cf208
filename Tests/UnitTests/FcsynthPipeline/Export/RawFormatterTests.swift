import Foundation
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

@Suite struct RawFormatterTests {
    @Test(arguments: [ExportFixtures.sequential, ExportFixtures.parallel, ExportFixtures.noTools])
    func roundTripsTheWholeRecord(_ record: ConversationRecord) throws {
        let line = try RawFormatter().line(for: record)
        #expect(!line.contains(UInt8(ascii: "\n")))
        #expect(try JSONCoding.decode(ConversationRecord.self, from: Data(line)) == record)
    }

    @Test(arguments: [ExportFixtures.sequential, ExportFixtures.parallel, ExportFixtures.noTools])
    func writesWhatFoundationsEncoderWrites(_ record: ConversationRecord) throws {
        #expect(try RawFormatter().line(for: record) == Array(try JSONCoding.encoder().encode(record)))
    }

    @Test func refusesNonFiniteNumbersInSchemas() {
        var record = ExportFixtures.sequential
        record.functions[0].responses = .object(["maximum": .number(.infinity)])
        #expect(throws: ExportError.self) { try RawFormatter().line(for: record) }
    }

    @Test func keepsLineageUsageAndResponses() throws {
        let document = try JSONCoding.decode(
            JSONValue.self, from: Data(RawFormatter().line(for: ExportFixtures.parallel)))
        #expect(document["lineage"]?["composition_mode"] == .string("para_seq"))
        #expect(document["usage"]?["prompt_tokens"] == .number(120))
        #expect(document["functions"]?.arrayValue?.first?["responses"] == ExportFixtures.forecast.responses)
    }
}

@Suite struct ExportFormatTests {
    @Test func namesAreTheCommandLineValues() {
        #expect(ExportFormat.allCases.map(\.rawValue) == ["openai", "sharegpt", "raw"])
        #expect(ExportFormat(rawValue: "sharegpt") == .sharegpt)
    }

    @Test(arguments: ExportFormat.allCases)
    func everyFormatWritesOneLinePerRecord(_ format: ExportFormat) throws {
        let formatter = format.makeFormatter()
        for record in [ExportFixtures.sequential, ExportFixtures.parallel, ExportFixtures.noTools] {
            let line = try formatter.line(for: record)
            #expect(!line.contains(UInt8(ascii: "\n")))
            #expect(try JSONCoding.decode(JSONValue.self, from: Data(line)).objectValue != nil)
        }
    }
}
