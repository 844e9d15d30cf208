import Foundation
import Testing

@testable import FcsynthPipeline

@Suite struct InputDigestTests {
    /// FNV-1a 64's published test vectors, as the oracle.
    @Test(arguments: [
        ("", 0xcbf2_9ce4_8422_2325 as UInt64), ("a", 0xaf63_dc4c_8601_ec8c), ("foobar", 0x8594_4171_f739_67e8),
    ])
    func matchesThePublishedVectors(text: String, expected: UInt64) {
        var digest = InputDigest()
        Array(text.utf8).withUnsafeBytes { digest.add($0) }
        #expect(digest.value == expected)
        #expect(InputDigest(text: digest.text) == digest && digest.text.count == 16)
    }

    /// The reader's digest after each row is that of the file's bytes up to the row's end, so
    /// that a seeking resume (which digests the prefix) and a re-reading one agree.
    @Test func theReadersDigestAfterARowIsThatOfTheFileUpToIt() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("digest-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        let text = "\u{FEFF}{\"chat\": \"one\"}\r\n\n{\"chat\": \"two\"}\n   \n{\"chat\": \"three\"}"
        try text.write(to: file, atomically: true, encoding: .utf8)
        let bytes = Array(try Data(contentsOf: file))
        let reader = try InputRecordReader(file: try InputFile(path: file.path), maxRowBytes: 1 << 20)
        var rows = 0
        while let record = try reader.next() {
            rows += 1
            var expected = InputDigest()
            bytes[..<Int(record.endOffset)].withUnsafeBytes { expected.add($0) }
            #expect(record.digest == expected, "row \(record.number)")
            #expect(try InputFile(path: file.path).digest(ofFirst: record.endOffset) == expected)
        }
        #expect(rows == 3)
        #expect(try InputFile(path: file.path).digest(ofFirst: Int64(bytes.count) + 1) == nil)
    }
}
