import Testing
@testable import FcsynthCore

@Suite struct StringByteSearchTests {
    @Test(arguments: [
        ("fly from Lisbon to Porto", "Lisbon", 9), ("é Porto", "Porto", 3), ("aab", "ab", 1), ("abc", "abc", 0),
        ("abc", "c", 2), ("abc", "abcd", nil), ("abc", "x", nil), ("abc", "", nil), ("", "a", nil),
        ("see [[sim:500]]", "[[sim:", 4), ("Lisb Lisbon", "Lisbon", 5),
    ] as [(String, String, Int?)])
    func findsTheFirstOccurrence(_ text: String, needle: String, offset: Int?) {
        #expect(text.utf8Offset(of: needle) == offset)
    }
}
