import Foundation
import Testing

@testable import FcsynthCore

/// Every fixed-width integer decodes as a scalar: one the decoder did not list used to ask the
/// type to decode itself, which came straight back and recursed until the stack ran out. Maps
/// keyed by strings, which the decoder reads member by member, agree with `JSONDecoder`.
@Suite struct JSONTreeDecoderTests {
    struct Widths: Codable, Equatable {
        var u64: UInt64
        var u32: UInt32
        var u: UInt
        var i32: Int32
    }

    @Test func decodesUnsignedAndNarrowIntegers() throws {
        let decoded = try JSONCoding.decode(Widths.self, from: #"{"u64": 313866, "u32": 7, "u": 0, "i32": -5}"#)
        #expect(decoded == Widths(u64: 313_866, u32: 7, u: 0, i32: -5))
    }

    @Test func refusesWhatDoesNotFit() {
        for text in [
            #"{"u64": -1, "u32": 7, "u": 0, "i32": 1}"#, #"{"u64": 1.5, "u32": 7, "u": 0, "i32": 1}"#,
            #"{"u64": "1", "u32": 7, "u": 0, "i32": 1}"#, #"{"u64": 1, "u32": 7, "u": 0, "i32": 3000000000}"#,
        ] {
            #expect(throws: DecodingError.self, "\(text)") { try JSONCoding.decode(Widths.self, from: text) }
        }
    }

    struct Maps: Codable, Equatable {
        var counts: [String: Int]
        var nested: [String: [String: String]]
        var optional: [String: String?]
        var lists: [String: [Widths]]
        var empty: [String: Double]
    }

    @Test func mapsKeyedByStringsDecodeAsJSONDecoderDecodesThem() throws {
        let text = #"""
            {"counts": {"a": 1, "b": -2, "": 0, "é ü": 3},
             "nested": {"x": {"y": "z"}, "w": {}},
             "optional": {"set": "v", "unset": null},
             "lists": {"one": [{"u64": 1, "u32": 2, "u": 3, "i32": -4}], "none": []},
             "empty": {}}
            """#
        let expected = try JSONDecoder().decode(Maps.self, from: Data(text.utf8))
        #expect(try JSONCoding.decode(Maps.self, from: text) == expected)
        #expect(expected.optional.keys.sorted() == ["set", "unset"])
    }

    @Test func aBadMemberOfAMapIsNamedInTheErrorsPath() throws {
        let text = #"{"counts": {"a": 1, "b": "two"}, "nested": {}, "optional": {}, "lists": {}, "empty": {}}"#
        let path = { (error: any Error) -> [String] in
            guard case DecodingError.typeMismatch(_, let context) = error else { return [] }
            return context.codingPath.map(\.stringValue)
        }
        var oracle: [String] = []
        do { _ = try JSONDecoder().decode(Maps.self, from: Data(text.utf8)) } catch { oracle = path(error) }
        var ours: [String] = ["not thrown"]
        do { _ = try JSONCoding.decode(Maps.self, from: text) } catch { ours = path(error) }
        #expect(oracle == ["counts", "b"])
        #expect(ours == oracle)
    }
}
