import Foundation
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

@Suite struct InputSamplerTests {
    func file(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "fcsynth-sampler-\(UUID().uuidString).jsonl")
        try Data(text.utf8).write(to: url)
        return url
    }

    /// Ten valid rows among bad ones; four picked (ordinals 1, 3, 6, 8 of floor((2i + 1) · 10 / 8)),
    /// dealt to two batches, each a JSON array holding the rows byte for byte.
    @Test func countsTheValidRowsAndDrawsThePickedOnes() throws {
        var lines = (0..<10).map { #"{"chat": "row \#($0)", "n": \#($0)}"# }
        lines.insert("not json", at: 3)
        lines.insert(#"{"chat": 5}"#, at: 7)
        let url = try file(lines.joined(separator: "\n") + "\n")
        defer { try? FileManager.default.removeItem(at: url) }
        let sampler = InputSampler(path: url.path, inputKey: "chat", maxRowBytes: 1 << 20)
        let counted = try sampler.count()
        #expect(counted.valid == 10 && counted.rejected == 2 && counted.firstRejection?.line == 4)

        let plan = SamplePlan(validRows: 10, sample: 4, batches: 2)
        let batches = try sampler.draw(plan)
        #expect(batches.count == 2)
        let rows = try batches.map { try JSONCoding.decode([[String: JSONValue]].self, from: $0) }
        #expect(rows.map { $0.map { $0["n"] } } == [[.number(1), .number(6)], [.number(3), .number(8)]])
        #expect(String(decoding: batches[0], as: UTF8.self) == "[" + lines[1] + ",\n" + lines[8] + "]\n")
    }
}
