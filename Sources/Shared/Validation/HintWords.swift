/// Splits a property name or description into lowercase words for the generator's guesses:
/// `departureDate`, `departure_date` and "Departure date" all give ["departure", "date"].
enum HintWords {
    static func split(_ hint: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previousWasLower = false
        for character in hint {
            if character.isLetter || character.isNumber {
                if character.isUppercase, previousWasLower, !current.isEmpty {
                    words.append(current)
                    current = ""
                }
                current.append(contentsOf: character.lowercased())
                previousWasLower = character.isLowercase || character.isNumber
            } else {
                if !current.isEmpty { words.append(current) }
                current = ""
                previousWasLower = false
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// A rough singular, for naming an array's items after the array: cities → city, ids → id.
    static func singular(_ hint: String) -> String {
        if hint.hasSuffix("ies") { return String(hint.dropLast(3)) + "y" }
        if hint.hasSuffix("s"), !hint.hasSuffix("ss") { return String(hint.dropLast()) }
        return hint
    }
}
