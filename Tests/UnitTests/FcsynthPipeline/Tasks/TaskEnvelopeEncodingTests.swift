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
    func aSeedItemIsWrittenInTheEncodersBytes(seed: String) throws {
        let item = WorkItem(id: "17.e2", line: 17, seed: seed)
        let envelope = TaskEnvelope(run: "demo", stage: .scenarioExtract, item: item)
        let written = try envelope.encoded()
        let header =
            #"{"tid":"17.e2|scenario_extract|0","run":"demo","stage":"scenario_extract","attempt":0,"recoveries":0,"item":"#
        let expected = Data(header.utf8) + (try JSONCoding.encode(item)) + Data("}".utf8)
        #expect(written == expected)
        #expect(try TaskEnvelope.decode(written) == envelope)
    }

    @Test func anItemWithAnyOtherFieldGoesThroughTheEncoder() throws {
        var item = WorkItem(id: "3", line: 3, seed: "user: hi")
        item.scenario = "travel"
        let written = try TaskEnvelope(run: "demo", stage: .atomTask, item: item).encoded()
        #expect(String(decoding: written, as: UTF8.self).contains(#""scenario":"travel""#))
        #expect(try TaskEnvelope.decode(written).item == item)
    }
}
