import Foundation
import Testing

@testable import FcsynthCore

@Suite struct JSONBytesTests {
    @Test func writesValuesAsJSONEncoderDoes() throws {
        let value = JSONValue.object([
            "B": .number(3), "_x": .number(1.5), "a10": .number(-0.25), "a9": .number(1e20), "é": .number(1e-7),
            "text": .string("tab\t quote\" back\\ slash/ nl\n cr\r bell\u{07} del\u{7f} é 😀"),
            "list": .array([.null, .bool(true), .bool(false), .object([:]), .array([])]),
        ])
        var bytes = JSONBytes()
        try bytes.value(value)
        #expect(
            String(decoding: bytes.bytes, as: UTF8.self)
                == String(decoding: try JSONCoding.encoder().encode(value), as: UTF8.self))
    }

    @Test func refusesNonFiniteNumbers() {
        var bytes = JSONBytes()
        #expect(throws: JSONWriteError.self) { try bytes.value(.array([.number(.nan)])) }
    }
}

@Suite struct JSONSyntaxTests {
    @Test(arguments: [
        (#"{"a": [1, -2.5e+3, true, null, "x\"\u00e9"]}"#, JSONSyntax.Kind.object),
        (" [ ] ", .array), (#""s""#, .string), ("-0.5", .number), ("false", .literal), ("{}", .object),
    ])
    func recognisesValidJSON(_ text: String, kind: JSONSyntax.Kind) {
        #expect(JSONSyntax.kind(of: text) == kind)
    }

    @Test(arguments: [
        "", "{", #"{"a":}"#, #"{"a":1,}"#, "[1,]", "01", "1.", "-", "tru", #""\x""#, "\"a\nb\"", "{} {}", "{'a': 1}",
        "NaN",
        #""\ud83d""#, #"["\udc00 alone"]"#,
        String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
    ])
    func rejectsInvalidJSON(_ text: String) {
        #expect(JSONSyntax.kind(of: text) == nil)
    }
}
