import Foundation
import Testing

@testable import FcsynthPipeline

@Suite struct JSONLinesWriterTests {
    private func withTemporaryFile(_ body: (FileHandle, URL) throws -> Void) throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "fcsynth-lines-\(UUID().uuidString).jsonl")
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try body(handle, url)
    }

    @Test func buffersUntilFlushed() throws {
        try withTemporaryFile { handle, url in
            let writer = JSONLinesWriter(handle: handle)
            try writer.write(Array(#"{"a":1}"#.utf8))
            try writer.write(Array(#"{"b":2}"#.utf8))
            #expect(try Data(contentsOf: url).isEmpty)
            try writer.flush()
            #expect(try String(contentsOf: url, encoding: .utf8) == "{\"a\":1}\n{\"b\":2}\n")
            #expect(writer.linesWritten == 2)
        }
    }

    @Test func flushesWhenTheBufferFillsAndKeepsEveryLine() throws {
        try withTemporaryFile { handle, url in
            let writer = JSONLinesWriter(handle: handle, bufferCapacity: 64)
            let lines = (0..<500).map { index in
                Array(#"{"line":\#(index),"pad":"\#(String(repeating: "x", count: index % 90))"}"#.utf8)
            }
            for line in lines { try writer.write(line) }
            try writer.flush()
            let written = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { Array($0.utf8) }
            #expect(written == lines)
        }
    }

    @Test func writesEveryFormatterLine() throws {
        try withTemporaryFile { handle, url in
            let writer = JSONLinesWriter(handle: handle)
            let formatter = ShareGPTFormatter()
            for record in [ExportFixtures.sequential, ExportFixtures.parallel, ExportFixtures.noTools] {
                try writer.write(formatter.line(for: record))
            }
            try writer.flush()
            let written = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
            #expect(written.count == 3)
            for line in written { try ShareGPTValidator.validate(Array(line.utf8)) }
        }
    }
}
