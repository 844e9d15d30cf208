import Testing

@testable import FcsynthCore

@Suite struct ByteSearchTests {
    @Test(
        arguments: [
            ("fly from Lisbon to Porto", "Lisbon", 9), ("é Porto", "Porto", 3), ("aab", "ab", 1), ("abc", "abc", 0),
            ("abc", "c", 2), ("abc", "abcd", nil), ("abc", "x", nil), ("abc", "", nil), ("", "a", nil),
            ("see [[sim:500]]", "[[sim:", 4), ("Lisb Lisbon", "Lisbon", 5),
        ] as [(String, String, Int?)])
    func findsTheFirstOccurrence(_ text: String, needle: String, offset: Int?) {
        #expect(text.utf8Offset(of: needle) == offset)
    }

    @Test(
        arguments: [
            ("abcabc", "abc", 0, 0), ("abcabc", "abc", 1, 3), ("abcabc", "abc", 3, 3), ("abcabc", "abc", 4, nil),
            ("abc", "c", 3, nil), ("abc", "c", 9, nil), ("]] x ]]", "]]", 1, 5),
        ] as [(String, String, Int, Int?)])
    func findsTheFirstOccurrenceFromAnOffset(_ text: String, needle: String, start: Int, offset: Int?) {
        var text = text
        #expect(text.withUTF8 { $0.firstOffset(of: needle, from: start) } == offset)
    }

    @Test(
        arguments: [
            ("abcabc", "abc", 3), ("abcab", "abc", 0), ("aaa", "aa", 1), ("abc", "abc", 0), ("abc", "abcd", nil),
            ("abc", "x", nil),
            ("abc", "", nil), ("", "a", nil), ("```json\n{}\n```\n```json\n[]", "```json\n", 15), ("é é", "é", 3),
        ] as [(String, String, Int?)])
    func findsTheLastOccurrence(_ text: String, needle: String, offset: Int?) {
        var text = text
        #expect(text.withUTF8 { $0.lastOffset(of: needle) } == offset)
    }
}
