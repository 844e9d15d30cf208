import Testing
@testable import FcsynthCore

@Suite struct JSONParserTests {
    @Test(arguments: [
        #"{"a": [1, -2.5, 3e2, true, false, null], "b": {"c": "d\n\"e\" \u00e9 \ud83d\ude00 /"}, "": {}}"#,
        #"  [ ]  "#, #""plain""#, "0", "-0.125", #"{"nested": [[[{"x": []}]]]}"#,
    ])
    func agreesWithJSONDecoder(text: String) throws {
        #expect(JSONParser.parse(text) == (try JSONCoding.decode(JSONValue.self, from: text)))
    }

    @Test(arguments: ["", "{", #"{"a" 1}"#, "[1,]", "01", "1.", ".5", "+1", "tru", "\"tab\t\"", #""\x""#,
                      #""\ud83d""#, "[1] 2", #"{"a":1,}"#, "nul"])
    func refusesInvalidText(text: String) {
        #expect(JSONParser.parse(text) == nil)
    }

    @Test func refusesDeepNesting() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(JSONParser.parse(deep) == nil)
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(JSONParser.parse(fine) != nil)
    }
}
