import Foundation
import Testing

@testable import FcsynthCore

@Suite struct JSONValueTests {
    @Test func roundTripsIntegersWithoutFraction() throws {
        let value = JSONValue.object(["n": .number(3), "x": .number(1.5), "s": .string("a/b")])
        #expect(try JSONCoding.encodeString(value) == #"{"n":3,"s":"a/b","x":1.5}"#)
        #expect(try JSONCoding.decode(JSONValue.self, from: #"{"n":3,"s":"a/b","x":1.5}"#) == value)
    }
}
