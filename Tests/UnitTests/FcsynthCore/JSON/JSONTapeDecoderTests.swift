import Foundation
import Testing

@testable import FcsynthCore

/// Every fixed-width integer decodes as a scalar: one the decoder did not list used to ask the
/// type to decode itself, which came straight back and recursed until the stack ran out. Maps
/// keyed by strings, which the decoder reads member by member, agree with `JSONDecoder`, and so
/// do keys found by their bytes: escaped, non-ASCII, repeated or missing.
@Suite struct JSONTapeDecoderTests {
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

    struct Keys: Codable, Equatable {
        var plain: Int
        var accented: String
        var kelvin: Int?
        var nested: Widths?

        enum CodingKeys: String, CodingKey {
            case plain
            case accented = "Zürich"
            case kelvin = "K"
            case nested
        }
    }

    @Test(arguments: [
        #"{"plain": 1, "Zürich": "raw"}"#,
        #"{"pl\u0061in": 2, "Z\u00fcrich": "escaped"}"#,
        #"{"plain": 3, "Zu\u0308rich": "decomposed", "\u212a": 4}"#,
        #"{"Zürich": "x", "plain": 7, "nested": {"u64": 1, "u32": 2, "u": 3, "i32": 4}, "K": null}"#,
    ])
    func keysAreFoundAsJSONDecoderFindsThem(text: String) throws {
        let expected = try JSONDecoder().decode(Keys.self, from: Data(text.utf8))
        #expect(try JSONCoding.decode(Keys.self, from: text) == expected)
    }

    /// Foundation's decoder takes the first of repeated keys; fcsynth takes the last, as its
    /// `JSONValue` objects do and as Python's `json` (which most tools around fcsynth use) does.
    @Test func ofRepeatedKeysTheLastCounts() throws {
        let text = #"{"plain": 5, "Zürich": "first", "plain": 6, "Z\u00fcrich": "last"}"#
        #expect(try JSONCoding.decode(Keys.self, from: text) == Keys(plain: 6, accented: "last"))
        #expect(JSONParser.parse(text) == .object(["plain": .number(6), "Zürich": .string("last")]))
    }

    @Test func aMissingKeyAndAMissingObjectAreNamed() throws {
        let missing = #"{"Zürich": "x"}"#
        #expect {
            try JSONCoding.decode(Keys.self, from: missing)
        } throws: { error in
            guard case DecodingError.keyNotFound(let key, _) = error else { return false }
            return key.stringValue == "plain"
        }
        let wrongNested = #"{"plain": 1, "Zürich": "x", "nested": [1]}"#
        var oracle: [String] = []
        do { _ = try JSONDecoder().decode(Keys.self, from: Data(wrongNested.utf8)) } catch {
            if case DecodingError.typeMismatch(_, let context) = error {
                oracle = context.codingPath.map(\.stringValue)
            }
        }
        var ours: [String] = ["not thrown"]
        do { _ = try JSONCoding.decode(Keys.self, from: wrongNested) } catch {
            if case DecodingError.typeMismatch(_, let context) = error { ours = context.codingPath.map(\.stringValue) }
        }
        #expect(oracle == ["nested"])
        #expect(ours == oracle)
    }

    @Test func anElementsPathCountsItsIndex() throws {
        let text =
            #"{"counts": {}, "nested": {}, "optional": {}, "lists": {"l": [{"u64": 1, "u32": 2, "u": 3, "i32": 4}, {"u64": 1, "u32": 2, "u": -3, "i32": 4}]}, "empty": {}}"#
        var ours: [String] = []
        do { _ = try JSONCoding.decode(Maps.self, from: text) } catch {
            if case DecodingError.typeMismatch(_, let context) = error { ours = context.codingPath.map(\.stringValue) }
        }
        #expect(ours == ["lists", "l", "1", "u"])
    }
}
