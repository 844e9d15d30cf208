import Testing

@testable import FcsynthCore

/// Exported lines keep to one line and one reading: the characters that line splitters take for
/// line breaks, and the text-direction switches, are written as escapes.
@Suite struct JSONBytesTests {
    static func written(_ text: String) -> String {
        var out = JSONBytes()
        out.string(text)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    @Test(arguments: [
        ("a\u{2028}b", #""a\u2028b""#), ("\u{2029}", #""\u2029""#), ("x\u{202A}y\u{202E}z", #""x\u202ay\u202ez""#),
        ("\u{2066}rtl\u{2069}", #""\u2066rtl\u2069""#),
    ])
    func escapesSeparatorsAndDirectionSwitches(_ text: String, _ expected: String) throws {
        let line = Self.written(text)
        #expect(line == expected)
        #expect(
            !line.unicodeScalars.contains {
                (0x2028...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value)
            })
        #expect(JSONParser.parse(line) == .string(text))
    }

    @Test func leavesOtherTextAsItIs() {
        let text = "é ü 😀 \u{2027} \u{202F} \u{2070} Zürich"
        #expect(Self.written(text) == "\"" + text + "\"")
        #expect(Self.written("tab\there \"q\"") == #""tab\there \"q\"""#)
    }
}
