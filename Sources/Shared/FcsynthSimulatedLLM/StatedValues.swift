import FcsynthCore

/// Values a catalog task states as `name words <JSON value>` (`check in date "2025-05-03"`),
/// read back for the parameter they are named after.
package enum StatedValues {
    /// How a task names a parameter: its words, lower-case (`checkInDate` and `check_in_date`
    /// are both "check in date").
    package static func phrase(_ parameter: String) -> String {
        HintWords.split(parameter).joined(separator: " ")
    }

    /// The value the text states for `parameter`, or nil.
    package static func value(for parameter: String, in text: String) -> JSONValue? {
        let marker = phrase(parameter) + " "
        var rest = Substring(text)
        while let range = rest.range(of: marker) {
            if let value = jsonPrefix(of: rest[range.upperBound...]) { return value }
            rest = rest[range.upperBound...]
        }
        return nil
    }

    /// The JSON value at the start of `text`: a string up to its closing quote, a number, a
    /// literal, or an object or array up to its matching bracket.
    private static func jsonPrefix(of text: Substring) -> JSONValue? {
        guard let first = text.first else { return nil }
        var end = text.startIndex
        switch first {
        case "\"":
            var escaped = false
            end = text.index(after: end)
            while end < text.endIndex {
                let character = text[end]
                end = text.index(after: end)
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    return JSONParser.parse(String(text[..<end]))
                }
            }
            return nil
        case "{", "[":
            var depth = 0
            var inString = false
            var escaped = false
            while end < text.endIndex {
                let character = text[end]
                end = text.index(after: end)
                if inString {
                    if escaped {
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        inString = false
                    }
                } else if character == "\"" {
                    inString = true
                } else if character == "{" || character == "[" {
                    depth += 1
                } else if character == "}" || character == "]" {
                    depth -= 1
                    if depth == 0 { return JSONParser.parse(String(text[..<end])) }
                }
            }
            return nil
        default:
            var trimmed = String(text.prefix { !$0.isWhitespace && $0 != "," })
            while let last = trimmed.last, last == "." || last == "," { trimmed.removeLast() }
            guard let value = JSONParser.parse(trimmed), value.stringValue == nil else { return nil }
            return value
        }
    }
}
