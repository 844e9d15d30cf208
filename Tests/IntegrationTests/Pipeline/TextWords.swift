/// The tests' own reading of text as words, written apart from the code under test: lowercased
/// runs of letters and digits, as the near-duplicate filter and the report define them.
enum TextWords {
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var word = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                word.append(character)
            } else if !word.isEmpty {
                words.append(word)
                word = ""
            }
        }
        return word.isEmpty ? words : words + [word]
    }

    /// Adjacent word pairs; a one-word text is its word.
    static func bigrams(_ text: String) -> Set<String> {
        let words = words(text)
        guard words.count > 1 else { return Set(words) }
        return Set((1..<words.count).map { "\(words[$0 - 1]) \(words[$0])" })
    }
}
