/// Splits a property name or description into lowercase words for the generator's guesses:
/// `departureDate`, `departure_date` and "Departure date" all give ["departure", "date"].
package enum HintWords {
    package static func split(_ hint: String) -> [String] {
        if hint.utf8.allSatisfy({ $0 < 0x80 }) { return splitASCII(hint) }
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

    /// The same rules on bytes: property names and descriptions are nearly always ASCII, and
    /// `Character`'s Unicode properties cost far more than a range check.
    private static func splitASCII(_ hint: String) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        var previousWasLower = false
        for byte in hint.utf8 {
            let isUpper = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")
            let isLower = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            if isUpper || isLower || isDigit {
                if isUpper, previousWasLower, !current.isEmpty {
                    words.append(String(decoding: current, as: UTF8.self))
                    current.removeAll(keepingCapacity: true)
                }
                current.append(isUpper ? byte + 32 : byte)
                previousWasLower = isLower || isDigit
            } else {
                if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
                current.removeAll(keepingCapacity: true)
                previousWasLower = false
            }
        }
        if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
        return words
    }

    /// A rough singular, for naming an array's items after the array: cities → city, ids → id.
    package static func singular(_ hint: String) -> String {
        if hint.hasSuffix("ies") { return String(hint.dropLast(3)) + "y" }
        if hint.hasSuffix("s"), !hint.hasSuffix("ss") { return String(hint.dropLast()) }
        return hint
    }
}
