/// Why text is not JSON, and where: each offset is a UTF-8 byte offset from the text's start.
package enum JSONScanError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text ends where a value, a comma or a closing bracket was due.
    case unexpectedEnd
    /// A byte that cannot stand where it is, such as a second value or a missing comma.
    case unexpectedByte(at: Int)
    /// A word that starts like `true`, `false` or `null` but is not one.
    case badLiteral(at: Int)
    /// A number outside JSON's grammar: a leading zero or plus sign, a bare point or exponent.
    case badNumber(at: Int)
    /// The string opening here has no closing quote.
    case unterminatedString(at: Int)
    /// A control character inside a string, which JSON requires escaped.
    case controlCharacter(at: Int)
    /// An escape sequence that JSON does not define, or a `\u` without four hex digits.
    case badEscape(at: Int)
    /// A `\u` escape of half a UTF-16 surrogate pair without its other half: no character.
    case loneSurrogate(at: Int)
    /// A value nested deeper than `JSONScanner.maximumDepth`.
    case tooDeep(at: Int)

    package var description: String {
        switch self {
        case .unexpectedEnd: "the text ends too soon"
        case .unexpectedByte(let offset): "unexpected character at byte \(offset)"
        case .badLiteral(let offset): "invalid literal at byte \(offset)"
        case .badNumber(let offset): "invalid number at byte \(offset)"
        case .unterminatedString(let offset): "the string at byte \(offset) is not closed"
        case .controlCharacter(let offset): "unescaped control character in a string at byte \(offset)"
        case .badEscape(let offset): "invalid escape sequence at byte \(offset)"
        case .loneSurrogate(let offset): "unpaired UTF-16 surrogate escape at byte \(offset)"
        case .tooDeep(let offset): "nested deeper than \(JSONScanner.maximumDepth) levels at byte \(offset)"
        }
    }
}
