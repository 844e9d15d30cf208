import CoreFoundation
import Foundation
import Testing

@testable import FcsynthCore

/// `JSONParser` and `JSONTape` read JSON through the same scanner and must accept, refuse and
/// explain exactly the same texts: each check here holds for both.
@Suite struct JSONParserTests {
    /// Documents that exercise every number shape, every escape, surrogate pairs, raw UTF-8,
    /// escaped keys and nesting, for `JSONSerialization` to judge.
    static let documents: [String] = [
        #"{"a": [1, -2.5, 3e2, true, false, null], "b": {"c": "d\n\"e\" \u00e9 \ud83d\ude00 /"}, "": {}}"#,
        #"  [ ]  "#, #""plain""#, "0", "-0.125", "true", "null", #"{"nested": [[[{"x": []}]]]}"#,
        "[0, -0, 7, -12, 0.5, 1.25e3, 2E-2, 6.02e+23, 1e-300, 9007199254740993, 12345678901234567890, 0.1, 123.456e-7, 1.7976931348623157e308]",
        #"["\"\\\/\b\f\n\r\t", "\u0000\u001F\u007f", "\u00E9\u00e9", "\u20AC", "\uD834\uDD1E", "\udbff\udfff", "é 😀 Zürich", ""]"#,
        #"{"k\"ey": 1, "\u00e9": 2, "😀": {"a": {"b": {"c": [1, [2, [3, {"d": "e"}]]]}}}, "z": [{}, [], "", 0, false]}"#,
        " \t\r\n{ \"spaced\" : [ 1 , 2 ] , \"x\" :\n\"y\" } \n",
        manyNumbers, deep,
    ]
    static let manyNumbers: String = {
        let numbers = (0..<200).map { (index: Int) -> String in "\(index * 37 - 1000).\(index)e\(index % 7 - 3)" }
        return "[" + numbers.joined(separator: ",") + "]"
    }()
    static let deep: String =
        String(repeating: #"{"a":["#, count: 100) + #""deep""# + String(repeating: "]}", count: 100)

    @Test(arguments: documents)
    func agreesWithJSONSerialization(text: String) throws {
        let oracle = try Self.foundationValue(text)
        #expect(JSONParser.parse(text) == oracle)
        #expect(JSONParser.parse(Data(text.utf8)) == oracle)
        #expect(Self.taped(text) == .success(oracle))
    }

    @Test func agreesWithJSONSerializationOnTheExampleSeeds() throws {
        let rows = try String(contentsOf: Repository.seedChats, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(rows.count > 10)
        for row in rows {
            let oracle = try Self.foundationValue(row)
            #expect(JSONParser.parse(row) == oracle)
            #expect(Self.taped(row) == .success(oracle))
        }
    }

    /// The oracle's own conversion, checked by hand: booleans and numbers are both `NSNumber`
    /// to Foundation, and `as? Bool` takes 0 and 1 for booleans on Linux.
    @Test func convertsFoundationValuesFaithfully() throws {
        #expect(
            try Self.foundationValue(#"[true, false, 1, 0, -1.5, "1", null, {"t": true}]"#)
                == .array([
                    .bool(true), .bool(false), .number(1), .number(0), .number(-1.5), .string("1"), .null,
                    .object(["t": .bool(true)]),
                ]))
    }

    @Test(arguments: [
        "", "{", #"{"a" 1}"#, "[1,]", "01", "1.", ".5", "+1", "tru", "\"tab\t\"", #""\x""#,
        #""\ud83d""#, #""\udc00""#, "[1] 2", #"{"a":1,}"#, "nul", "{'a': 1}", "NaN", "[1 2]",
    ])
    func refusesInvalidText(text: String) {
        #expect(JSONParser.parse(text) == nil)
        #expect(JSONSyntax.kind(of: text) == nil)
        #expect((try? Self.taped(text).get()) == nil)
    }

    @Test(arguments: [
        ("", JSONScanError.unexpectedEnd), ("[1,", .unexpectedEnd), (#"{"a":"#, .unexpectedEnd),
        ("[1 2]", .unexpectedByte(at: 3)),
        (#"{"a" 1}"#, .unexpectedByte(at: 5)), (#"{"a":1,}"#, .unexpectedByte(at: 7)), ("[1,]", .unexpectedByte(at: 3)),
        ("[1] 2", .unexpectedByte(at: 4)), ("{1: 2}", .unexpectedByte(at: 1)), ("01", .unexpectedByte(at: 1)),
        ("[tru]", .badLiteral(at: 1)), (#"{"n": -}"#, .badNumber(at: 6)),
        (#"["ok", "cut]"#, .unterminatedString(at: 7)),
        (#"{"k": "\x"}"#, .badEscape(at: 7)), (#"["\ud83d!"]"#, .loneSurrogate(at: 2)),
        ("[\"a\tb\"]", .controlCharacter(at: 3)),
    ])
    func saysWhyAndWhere(text: String, error: JSONScanError) {
        #expect(Self.parsed(text) == .failure(error))
        #expect(Self.taped(text) == .failure(error))
    }

    @Test func refusesDeepNesting() {
        let limit = JSONScanner.maximumDepth
        let deepest = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(JSONParser.parse(deepest) != nil)
        #expect(JSONSyntax.kind(of: deepest) == .array)
        let tooDeep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        #expect(Self.parsed(tooDeep) == .failure(.tooDeep(at: limit)))
        #expect(Self.taped(deepest) == Self.parsed(deepest))
        #expect(Self.taped(tooDeep) == .failure(.tooDeep(at: limit)))
        #expect(JSONSyntax.kind(of: tooDeep) == nil)
    }

    @Test func decodingErrorsSayWhy() {
        #expect {
            try JSONCoding.decode(JSONValue.self, from: #"{"a": tru}"#)
        } throws: { error in
            guard case DecodingError.dataCorrupted(let context) = error else { return false }
            return context.debugDescription == "not valid JSON: invalid literal at byte 6"
        }
    }

    private static func parsed(_ text: String) -> Result<JSONValue, JSONScanError> {
        var text = text
        return text.withUTF8 { bytes in Result { () throws(JSONScanError) in try JSONParser.value(of: bytes) } }
    }

    /// The text read into a tape, and the tape's root built as a `JSONValue`.
    private static func taped(_ text: String) -> Result<JSONValue, JSONScanError> {
        var text = text
        return text.withUTF8 { bytes in
            Result { () throws(JSONScanError) in
                let tape = try JSONTape(bytes)
                return tape.value(tape.root)
            }
        }
    }

    /// What Foundation's own parser makes of `text`, as a `JSONValue`.
    static func foundationValue(_ text: String) throws -> JSONValue {
        try jsonValue(JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed))
    }

    private static func jsonValue(_ object: Any) throws -> JSONValue {
        switch object {
        case is NSNull:
            return .null
        case let number as NSNumber:
            return CFGetTypeID(number) == CFBooleanGetTypeID() ? .bool(number.boolValue) : .number(number.doubleValue)
        case let string as String:
            return .string(string)
        case let array as [Any]:
            return .array(try array.map(jsonValue))
        case let members as [String: Any]:
            return .object(try members.mapValues(jsonValue))
        default:
            throw OracleError(type: "\(type(of: object))")
        }
    }

    private struct OracleError: Error {
        var type: String
    }
}
