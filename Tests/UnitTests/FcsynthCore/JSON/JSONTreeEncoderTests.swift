import Foundation
import Testing

@testable import FcsynthCore

@Suite struct JSONTreeEncoderTests {
    private struct Scalars: Codable, Equatable {
        var int = -42
        var int8: Int8 = -8
        var uint64: UInt64 = .max
        var double = 0.7
        var integral = 3.0
        var huge = 1e20
        var tiny = 1e-7
        var float: Float = 0.1
        var flag = true
        var text = "slash/ quote\" nl\n é 😀"
        var missing: String?
        var nested: [String: [Int]] = [
            "b": [1, 2], "a": [], "": [3], "é": [], "a10": [], "a9": [], "B": [], "_": [], "ab": [],
        ]
        var url = URL(string: "https://example.com/a?b=c")!
        var data = Data([0, 1, 254, 255])
        var date = Date(timeIntervalSinceReferenceDate: 12.5)
    }

    /// Writes keys twice: the last value wins.
    private struct Repeating: Encodable {
        enum CodingKeys: String, CodingKey { case b, a }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(1, forKey: .b)
            try container.encode("first", forKey: .a)
            try container.encode("second", forKey: .a)
        }
    }

    private static func expectSameBytes<T: Encodable>(
        _ value: T, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let expected = String(decoding: try JSONCoding.encoder().encode(value), as: UTF8.self)
        #expect(
            String(decoding: try JSONTreeEncoder.encode(value), as: UTF8.self) == expected,
            sourceLocation: sourceLocation)
    }

    @Test func writesScalarsAsJSONEncoderDoes() throws {
        try Self.expectSameBytes(Scalars())
        try Self.expectSameBytes([Scalars(), Scalars(int: 0, missing: "here")])
        try Self.expectSameBytes(Repeating())
    }

    @Test func writesEveryItemAndRecordOfARunAsJSONEncoderDoes() async throws {
        let run = try await StageRunner(settings: StageHarness.settings { $0.composition = .mixed })
            .run(PipelineOnSimulatorTests.seeds(6))
        #expect(!run.records.isEmpty)
        #expect(run.items.count > 30)
        for record in run.records { try Self.expectSameBytes(record) }
        for item in run.items { try Self.expectSameBytes(item) }
    }

    @Test func refusesNonFiniteNumbers() {
        #expect(throws: EncodingError.self) { try JSONTreeEncoder.encode([1, Double.infinity]) }
        #expect(throws: EncodingError.self) { try JSONTreeEncoder.encode(JSONValue.array([.number(.nan)])) }
    }

    @Test func sortsKeysByTheirUTF8Bytes() throws {
        let keys = [
            "", "B", "_", "a", "a10", "a9", "ab", "é", "z", "\u{1F600}",
            "longer than fifteen bytes, not a small string",
        ]
        let value = JSONValue.object(Dictionary(uniqueKeysWithValues: keys.map { ($0, JSONValue.null) }))
        try Self.expectSameBytes(value)
        try Self.expectSameBytes(Dictionary(uniqueKeysWithValues: keys.map { ($0, 1) }))
    }
}
