import Testing

@testable import FcsynthCore

/// Every fixed-width integer decodes as a scalar: one the decoder did not list used to ask the
/// type to decode itself, which came straight back and recursed until the stack ran out.
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
}
