import Foundation
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

/// Enqueue writes a fresh item without the encoder; the bytes must be the encoder's, so that a
/// task reads the same whichever path wrote it.
@Suite struct TaskEnvelopeEncodingTests {
    static let seeds = [
        "user: hello\nassistant: hi", "", "quotes \" and \\ backslashes / slashes", "tab\there\r\nCRLF",
        "control \u{01}\u{1F} and DEL \u{7F}", "é ü 😀 Zürich", "line\u{2028}separator\u{2029}paragraph",
        "bidi \u{202E}override", String(repeating: "long seed ", count: 500),
    ]

    @Test(arguments: seeds)
    func aSeedEntryIsTheEncodersBytes(seed: String) throws {
        let item = WorkItem(id: "17", line: 17, seed: seed)
        let envelope = TaskEnvelope(run: "demo", stage: .scenarioExtract, item: item)
        let written = TaskEnvelope.seedEntry(run: "demo", id: "17", line: 17, seed: seed)
        let header =
            #"{"tid":"17|scenario_extract|0","run":"demo","stage":"scenario_extract","attempt":0,"recoveries":0,"item":"#
        #expect(written == Data(header.utf8) + (try JSONCoding.encode(item)) + Data("}".utf8))
        #expect(written == (try envelope.encoded()))
        #expect(try TaskEnvelope.decode(written) == envelope)
    }

    @Test func anItemWithOtherFieldsKeepsThem() throws {
        var item = WorkItem(id: "3", line: 3, seed: "user: hi")
        item.scenario = "travel"
        let written = try TaskEnvelope(run: "demo", stage: .atomTask, item: item).encoded()
        #expect(String(decoding: written, as: UTF8.self).contains(#""scenario":"travel""#))
        #expect(try TaskEnvelope.decode(written).item == item)
    }

    /// A quote that a combining mark follows is one `Character`, equal to no quote: the header
    /// must still lose it, or the tid would end early.
    @Test func aQuoteOrBackslashInAnIdNeverReachesTheHeader() throws {
        let item = WorkItem(id: "a\"\u{301}b\\c", line: 1, seed: "user: hi")
        let written = try TaskEnvelope(run: "demo", stage: .atomTask, item: item).encoded()
        let text = String(decoding: written, as: UTF8.self)
        #expect(text.hasPrefix(#"{"tid":"a_\#u{301}b_c|atom_task|0","run":"demo""#), "\(text)")
        let header = try #require(TaskEnvelope.Header.read(written))
        #expect(header.tid == "a_\u{301}b_c|atom_task|0" && header.run == "demo")
    }
}
