/// Textual repairs of almost-JSON, each leaving double-quoted strings as they are.
enum JSONTextRepair {
    /// Drops a comma that stands, but for whitespace, before `}` or `]`.
    static func removingTrailingCommas(_ text: String) -> String {
        let characters = Array(text)
        var out: [Character] = []
        out.reserveCapacity(characters.count)
        var inString = false
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if inString {
                out.append(character)
                if character == "\\", index + 1 < characters.count {
                    out.append(characters[index + 1])
                    index += 2
                    continue
                }
                if character == "\"" { inString = false }
            } else if character == "\"" {
                inString = true
                out.append(character)
            } else if character == "," {
                var next = index + 1
                while next < characters.count, characters[next].isWhitespace { next += 1 }
                if next < characters.count, characters[next] == "}" || characters[next] == "]" {
                    index += 1
                    continue
                }
                out.append(character)
            } else {
                out.append(character)
            }
            index += 1
        }
        return String(out)
    }

    /// From the first object that opens on a single-quoted key, strings in single quotes become
    /// double-quoted (inner double quotes escaped); prose before it, with its apostrophes, is kept.
    static func replacingSingleQuotes(_ text: String) -> String {
        guard let start = text.firstRange(of: /\{\s*'/)?.lowerBound else { return text }
        var out = String(text[..<start])
        var quote: Character?
        var escaped = false
        for character in text[start...] {
            if let open = quote {
                if escaped {
                    out.append(character == "'" ? "'" : "\\\(character)")
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == open {
                    out.append("\"")
                    quote = nil
                } else if character == "\"", open == "'" {
                    out.append("\\\"")
                } else {
                    out.append(character)
                }
            } else if character == "'" || character == "\"" {
                quote = character
                out.append("\"")
            } else {
                out.append(character)
            }
        }
        return out
    }
}
