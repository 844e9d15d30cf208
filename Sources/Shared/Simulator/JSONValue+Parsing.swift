extension JSONValue {
    /// The value of exactly one JSON document, read straight from its bytes: a tenth of the
    /// cost of `JSONDecoder`, whose `JSONValue` conformance probes each value's type by
    /// catching mismatch errors. Nil when `text` is not valid JSON, or holds a string with half
    /// of a surrogate pair.
    init?(parsing text: UnsafeBufferPointer<UInt8>) {
        guard JSONSyntax.kind(of: text) != nil else { return nil }
        var builder = ValueBuilder(text: text)
        guard let value = builder.value() else { return nil }
        self = value
    }
}

/// Builds values from text `JSONSyntax` has already checked, so it never meets bad syntax.
private struct ValueBuilder {
    let text: UnsafeBufferPointer<UInt8>
    var index = 0

    mutating func value() -> JSONValue? {
        skipWhitespace()
        switch text[index] {
        case UInt8(ascii: "{"):
            index += 1
            var members: [String: JSONValue] = [:]
            while true {
                skipWhitespace()
                if text[index] == UInt8(ascii: "}") { break }
                if text[index] == UInt8(ascii: ",") { index += 1; skipWhitespace() }
                guard let key = string() else { return nil }
                skipWhitespace()
                index += 1
                guard let member = value() else { return nil }
                // The first of duplicate keys wins, as with `JSONDecoder`.
                if members[key] == nil { members[key] = member }
            }
            index += 1
            return .object(members)
        case UInt8(ascii: "["):
            index += 1
            var elements: [JSONValue] = []
            while true {
                skipWhitespace()
                if text[index] == UInt8(ascii: "]") { break }
                if text[index] == UInt8(ascii: ",") { index += 1 }
                guard let element = value() else { return nil }
                elements.append(element)
            }
            index += 1
            return .array(elements)
        case UInt8(ascii: "\""):
            return string().map(JSONValue.string)
        case UInt8(ascii: "t"):
            index += 4
            return .bool(true)
        case UInt8(ascii: "f"):
            index += 5
            return .bool(false)
        case UInt8(ascii: "n"):
            index += 4
            return .null
        default:
            let start = index
            while index < text.count, Self.isNumberByte(text[index]) { index += 1 }
            return Double(String(decoding: UnsafeBufferPointer(rebasing: text[start..<index]), as: UTF8.self)).map(JSONValue.number)
        }
    }

    private mutating func string() -> String? {
        let start = index
        index += 1
        while text[index] != UInt8(ascii: "\"") {
            index += text[index] == UInt8(ascii: "\\") ? 2 : 1
        }
        index += 1
        return JSONSyntax.string(UnsafeBufferPointer(rebasing: text[start..<index]))
    }

    private mutating func skipWhitespace() {
        while index < text.count, text[index] == 0x20 || text[index] == 0x0A || text[index] == 0x0D || text[index] == 0x09 {
            index += 1
        }
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
    }
}
