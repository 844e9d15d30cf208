import Foundation
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

@Suite struct RowValidatorTests {
    private let validator = RowValidator(inputKey: "chat", maxRowBytes: 1 << 20, layout: .jsonLines)

    private func seed(_ row: String) -> Result<String, RowRejection> {
        seed(Array(row.utf8))
    }

    private func seed(_ bytes: [UInt8]) -> Result<String, RowRejection> {
        validator.seed(
            of: InputRecord(number: 7, line: 7, bytes: bytes, oversize: nil, endOffset: 0, digest: InputDigest()))
    }

    private func rejection(_ row: String) -> String? {
        if case .failure(let rejection) = seed(row) { return rejection.reason }
        return nil
    }

    @Test(arguments: [
        (#"{"chat": "hello"}"#, "hello"),
        (
            #" {"id": 3, "chat":"a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00 z", "x": [1, {"chat": 2}]} "#,
            "a\"b\\c/d\u{08}\u{0C}\n\r\té😀 z"
        ),
        (#"{"chat": "first", "chat": "last"}"#, "last"),
        (#"{"meta": {"chat": "nested"}, "chat": "top"}"#, "top"),
        (#"{"ch\u0061t": "escaped key"}"#, "escaped key"),
        (#"{"chat": "snowman ☃ and \u2603"}"#, "snowman ☃ and ☃"),
    ])
    func takesTheInputField(_ row: String, expected: String) throws {
        #expect(try seed(row).get() == expected)
    }

    /// The one-pass reading and Foundation's parser agree on every example seed.
    @Test func agreesWithJSONSerializationOnTheExampleSeeds() throws {
        let rows = try String(contentsOf: Repository.seedChats, encoding: .utf8).split(separator: "\n")
        #expect(rows.count > 10)
        for row in rows {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(row.utf8)) as? [String: Any])
            #expect(try seed(String(row)).get() == object["chat"] as? String)
        }
    }

    @Test(arguments: [
        (#"{"chat": "x"#, "not valid JSON"),
        (#"{"chat": x}"#, "not valid JSON"),
        (#"["chat"]"#, "not a JSON object (found an array)"),
        (#"{"text": "x"}"#, #"no "chat" field (the input key; set it with --input-key)"#),
        (#"{"meta": {"chat": "nested"}}"#, #"no "chat" field (the input key; set it with --input-key)"#),
        (#"{"chat": 5}"#, #""chat" must be a string, not a number"#),
        (#"{"chat": true}"#, #""chat" must be a string, not a boolean"#),
        (#"{"chat": null}"#, #""chat" must be a string, not null"#),
        (#"{"chat": {"turns": []}}"#, #""chat" must be a string, not an object"#),
        (#"{"chat": " \n\t "}"#, #""chat" is empty"#),
        (#"{"chat": "\u3000\u00a0"}"#, #""chat" is empty"#),
    ])
    func rejectsWithTheReason(_ row: String, reason expected: String) throws {
        let reason = try #require(rejection(row))
        #expect(reason.hasPrefix(expected), "\(reason)")
    }

    @Test func rejectsInvalidUTF8() {
        guard case .failure(let rejection) = seed(Array(#"{"chat": ""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)) else {
            Issue.record("accepted invalid UTF-8")
            return
        }
        #expect(rejection.reason == "not valid UTF-8")
        #expect(rejection.description == "line 7: not valid UTF-8")
    }

    @Test func decodesStringLiteralsAsJSONSerializationDoes() throws {
        let literals = [#""""#, #""plain""#, #""\u0000\u001f\"\\""#, #""\uD834\uDD1E clef""#, #""tab\tend""#]
        for literal in literals {
            let expected =
                try JSONSerialization.jsonObject(with: Data(literal.utf8), options: [.fragmentsAllowed]) as? String
            let decoded = Array(literal.utf8).withUnsafeBufferPointer { JSONSyntax.string($0) }
            #expect(decoded == expected, "\(literal)")
        }
        let lone = Array(#""\ud800 alone""#.utf8).withUnsafeBufferPointer { JSONSyntax.string($0) }
        #expect(lone == nil)
    }
}
