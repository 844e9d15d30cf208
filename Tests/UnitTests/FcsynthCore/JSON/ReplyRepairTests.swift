import Testing

@testable import FcsynthCore

/// The repairs of almost-JSON, on text written by hand: what each fixes, and what each leaves
/// alone because its meaning would be a guess.
@Suite struct ReplyRepairTests {
    @Test func aReplyThatParsesAsWrittenNeedsNoRepair() throws {
        let (value, repairs) = try ReplyExtraction.repairedObject(in: #"Sure: {"a": [1, 2], "b": "x, }"}"#)
        #expect(value == .object(["a": .array([.number(1), .number(2)]), "b": .string("x, }")]))
        #expect(repairs.isEmpty)
    }

    @Test func trailingCommasGoButCommasInStringsStay() {
        #expect(
            JSONTextRepair.removingTrailingCommas(#"{"a": [1, 2, ], "b": "x, }",}"#) == #"{"a": [1, 2 ], "b": "x, }"}"#)
        #expect(JSONTextRepair.removingTrailingCommas(#"{"a": "\",]"}"#) == #"{"a": "\",]"}"#)
    }

    @Test func singleQuotesBecomeDoubleFromTheObjectOn() {
        #expect(
            JSONTextRepair.replacingSingleQuotes(#"It's here: {'a': 'say "hi"', 'b': 'it\'s'}"#)
                == #"It's here: {"a": "say \"hi\"", "b": "it's"}"#)
        #expect(JSONTextRepair.replacingSingleQuotes(#"{"a": "it's"}"#) == #"{"a": "it's"}"#)
    }

    @Test func repairsAreCountedByKind() throws {
        let (value, repairs) = try ReplyExtraction.repairedObject(in: "<think>hmm {\"a\": 0}</think>\n{'a': 1,}")
        #expect(value == .object(["a": .number(1)]))
        #expect(repairs == [.reasoningRemoved, .trailingCommas, .singleQuotes])
    }

    @Test func whatCannotBeMadeCertainStillFailsWithTheOriginalError() {
        #expect(throws: ReplyParseError.self) { try ReplyExtraction.repairedObject(in: #"{"a": 1 "b": 2}"#) }
        #expect(throws: ReplyParseError.arrayAtTopLevel) {
            try ReplyExtraction.repairedObject(in: #"[{"a": 1}, {"a": 2}]"#)
        }
        #expect(throws: ReplyParseError.onlyReasoning) {
            try ReplyExtraction.repairedObject(in: #"<think>{"a": 1}"#)
        }
    }

    @Test func numbersFromStringsOnlyWhereNothingIsLost() {
        let schema = JSONValue.object([
            "type": .string("object"),
            "properties": .object([
                "count": .object(["type": .string("integer")]), "price": .object(["type": .string("number")]),
                "code": .object(["type": .string("string")]),
                "list": .object(["type": .string("array"), "items": .object(["type": .string("integer")])]),
            ]),
        ])
        let value = JSONValue.object([
            "count": .string(" 3 "), "price": .string("9.5"), "code": .string("007"),
            "list": .array([.string("1"), .string("1.5")]), "extra": .string("x"),
        ])
        let kept = SchemaCoercion.coerced(value, to: schema, droppingExtraKeys: false)
        #expect(
            kept.value
                == .object([
                    "count": .number(3), "price": .number(9.5), "code": .string("007"),
                    "list": .array([.number(1), .string("1.5")]), "extra": .string("x"),
                ]))
        #expect(kept.repairs == [.numberFromString, .numberFromString, .numberFromString])
        let dropped = SchemaCoercion.coerced(value, to: schema, droppingExtraKeys: true)
        #expect(dropped.value["extra"] == nil)
        #expect(dropped.repairs.filter { $0 == .extraKeyDropped }.count == 1)
        let open = JSONValue.object(["type": .string("object"), "additionalProperties": .bool(true)])
        #expect(SchemaCoercion.coerced(value, to: open, droppingExtraKeys: true).repairs.isEmpty)
    }
}
