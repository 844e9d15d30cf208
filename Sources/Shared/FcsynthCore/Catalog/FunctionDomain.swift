/// The kind of thing a function acts on, by which distractors are drawn near an item's own
/// functions first, so that choosing between them is a real choice.
public enum FunctionDomain {
    /// The last word of its name, in the singular
    /// (`search_flights` and `book_flight` are both `flight`), in lower-case letters and digits.
    public static func of(_ name: String) -> String {
        var words: [String] = []
        var word = ""
        for character in name {
            if character.isUppercase, !word.isEmpty, word.last?.isLowercase == true {
                words.append(word)
                word = ""
            }
            if character.isLetter || character.isNumber {
                word.append(character)
            } else if !word.isEmpty {
                words.append(word)
                word = ""
            }
        }
        if !word.isEmpty { words.append(word) }
        var last = String((words.last ?? "").lowercased().unicodeScalars.filter { $0.isASCII }.map(Character.init))
            .filter { $0.isLetter || $0.isNumber }
        if last.hasSuffix("ies"), last.count > 4 {
            last = String(last.dropLast(3)) + "y"
        } else if last.hasSuffix("s"), !last.hasSuffix("ss"), last.count > 3 {
            last.removeLast()
        }
        return last.isEmpty ? "other" : String(last.prefix(32))
    }
}
