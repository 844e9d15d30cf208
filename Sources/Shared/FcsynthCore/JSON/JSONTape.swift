/// JSON text read once into a flat list of its values, each saying where it lies and where the
/// value after it starts, so that a decoder can find a member or skip a subtree without
/// scanning the text again. Strings stay bytes until a decoder asks for one: a typed item
/// decodes without building a dictionary per object or hashing any key, which is where
/// `JSONParser` plus a decoder over `JSONValue` spent most of their time.
///
/// It accepts exactly what `JSONParser` parses: both check in the same order through
/// `JSONScanner`, so the same text fails with the same `JSONScanError`.
package final class JSONTape {
    package enum Kind: UInt8 {
        case object, array, string, number, `true`, `false`, null
    }

    package struct Token {
        package var kind: Kind
        /// A string written without escapes, whose bytes are its text.
        package var unescaped = false
        /// A string of ASCII bytes only, without escapes: equal to another text exactly when
        /// their bytes are equal.
        package var ascii = false
        /// A string: its first byte after the opening quote. Any other value: its first byte.
        package var start: Int
        /// A string: its closing quote.
        package var end = 0
        /// The index of the token after this value and everything inside it.
        package var next = 0
        /// The members of an object or the elements of an array.
        package var count = 0
        /// An object: where its members' keys start in `keys`.
        package var firstKey = 0
        /// A number: its value, read once here so that a number `JSONParser` refuses fails here too.
        package var number = 0.0
    }

    package let bytes: UnsafeBufferPointer<UInt8>
    package let tokens: [Token]
    /// The tokens of every object's keys, each object's together and in the order written.
    package let keys: [Int]

    /// The text's single value (whitespace around it allowed) read into tokens. The bytes must
    /// outlive the tape: decode within the scope that lends them.
    package init(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONScanError) {
        var builder = Builder(scanner: JSONScanner(bytes))
        builder.tokens.reserveCapacity(bytes.count / 12 + 2)
        builder.scanner.skipWhitespace()
        try builder.value(depth: 0)
        builder.scanner.skipWhitespace()
        guard builder.scanner.atEnd else { throw builder.scanner.unexpected }
        builder.tokens.append(Token(kind: .null, start: bytes.count))
        self.bytes = bytes
        self.tokens = builder.tokens
        self.keys = builder.keys
    }

    package var root: Int { 0 }

    /// A null that stands for a member the object does not have, for containers that are asked
    /// to read one anyway and must fail as though it were null.
    package var absent: Int { tokens.count - 1 }

    package func kind(_ index: Int) -> Kind { tokens[index].kind }

    /// The text of the string at `index`.
    package func string(_ index: Int) -> String {
        let token = tokens[index]
        if token.unescaped {
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[token.start..<token.end]), as: UTF8.self)
        }
        var scanner = JSONScanner(bytes, at: token.start - 1)
        // Checked when the tape was read, so it cannot fail here.
        return (try? scanner.string()) ?? ""
    }

    /// The value of the member of the object at `object` whose key is `name`: the last such
    /// member, as a dictionary built from the text would hold. Keys are compared byte for byte
    /// when both are ASCII and as text otherwise, as `String`'s `==` compares them (a
    /// non-ASCII name can still equal an ASCII key, as the Kelvin sign equals K).
    package func member(_ name: String, of object: Int) -> Int? {
        var contiguous = name
        return contiguous.withUTF8 { text in
            var nameASCII = true
            for byte in text where byte >= 0x80 { nameASCII = false }
            let first = tokens[object].firstKey
            var position = first + tokens[object].count
            while position > first {
                position -= 1
                let key = keys[position]
                let token = tokens[key]
                if token.ascii, nameASCII {
                    if token.end - token.start == text.count, bytes(from: token.start, equal: text) { return key + 1 }
                } else if string(key) == name {
                    return key + 1
                }
            }
            return nil
        }
    }

    private func bytes(from start: Int, equal text: UnsafeBufferPointer<UInt8>) -> Bool {
        for offset in 0..<text.count where bytes[start + offset] != text[offset] { return false }
        return true
    }

    /// The tokens of the keys of the object at `object`, in the order written; each key's
    /// value is the token after it.
    package func members(of object: Int) -> ArraySlice<Int> {
        let first = tokens[object].firstKey
        return keys[first..<first + tokens[object].count]
    }

    /// The value at `index` built as a `JSONValue`.
    package func value(_ index: Int) -> JSONValue {
        let token = tokens[index]
        switch token.kind {
        case .null: return .null
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .number: return .number(token.number)
        case .string: return .string(string(index))
        case .array:
            var elements: [JSONValue] = []
            elements.reserveCapacity(token.count)
            var element = index + 1
            for _ in 0..<token.count {
                elements.append(value(element))
                element = tokens[element].next
            }
            return .array(elements)
        case .object:
            var object: [String: JSONValue] = Dictionary(minimumCapacity: token.count)
            for key in members(of: index) { object[string(key)] = value(key + 1) }
            return .object(object)
        }
    }

    /// The name a decoding error uses for the type of the value at `index`, as
    /// `JSONValue.typeName` names it.
    package func typeName(_ index: Int) -> String {
        let token = tokens[index]
        return switch token.kind {
        case .null: "null"
        case .true, .false: "boolean"
        case .number: JSONValue.typeName(ofNumber: token.number)
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    private struct Builder {
        var scanner: JSONScanner
        var tokens: [Token] = []
        var keys: [Int] = []
        /// The keys of the objects being read, innermost last: an object's keys go to `keys`
        /// together once it is closed, after those of the objects inside it.
        var openKeys: [Int] = []

        mutating func value(depth: Int) throws(JSONScanError) {
            try scanner.checkDepth(depth)
            guard let byte = scanner.current else { throw .unexpectedEnd }
            switch byte {
            case UInt8(ascii: "{"): try object(depth: depth)
            case UInt8(ascii: "["): try array(depth: depth)
            case UInt8(ascii: "\""): try string()
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                let start = scanner.index
                let kind: Kind =
                    switch try scanner.literal() {
                    case .true: .true
                    case .false: .false
                    case .null: .null
                    }
                tokens.append(Token(kind: kind, start: start, next: tokens.count + 1))
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = scanner.index
                let number = try scanner.number()
                tokens.append(Token(kind: .number, start: start, next: tokens.count + 1, number: number))
            default: throw .unexpectedByte(at: scanner.index)
            }
        }

        private mutating func object(depth: Int) throws(JSONScanError) {
            let at = tokens.count
            tokens.append(Token(kind: .object, start: scanner.index))
            scanner.index += 1
            let opened = openKeys.count
            scanner.skipWhitespace()
            if !scanner.take(UInt8(ascii: "}")) {
                while true {
                    scanner.skipWhitespace()
                    guard scanner.current == UInt8(ascii: "\"") else { throw scanner.unexpected }
                    openKeys.append(tokens.count)
                    try string()
                    scanner.skipWhitespace()
                    guard scanner.take(UInt8(ascii: ":")) else { throw scanner.unexpected }
                    scanner.skipWhitespace()
                    try value(depth: depth + 1)
                    scanner.skipWhitespace()
                    if scanner.take(UInt8(ascii: ",")) { continue }
                    guard scanner.take(UInt8(ascii: "}")) else { throw scanner.unexpected }
                    break
                }
            }
            tokens[at].count = openKeys.count - opened
            tokens[at].firstKey = keys.count
            keys += openKeys[opened...]
            openKeys.removeSubrange(opened...)
            tokens[at].next = tokens.count
        }

        private mutating func array(depth: Int) throws(JSONScanError) {
            let at = tokens.count
            tokens.append(Token(kind: .array, start: scanner.index))
            scanner.index += 1
            var count = 0
            scanner.skipWhitespace()
            if !scanner.take(UInt8(ascii: "]")) {
                while true {
                    scanner.skipWhitespace()
                    try value(depth: depth + 1)
                    count += 1
                    scanner.skipWhitespace()
                    if scanner.take(UInt8(ascii: ",")) { continue }
                    guard scanner.take(UInt8(ascii: "]")) else { throw scanner.unexpected }
                    break
                }
            }
            tokens[at].count = count
            tokens[at].next = tokens.count
        }

        /// A string's bounds; the common string, without escapes, in one pass that also notes
        /// whether it is ASCII. One with escapes is checked by the scanner's own rules.
        private mutating func string() throws(JSONScanError) {
            let bytes = scanner.bytes
            let opening = scanner.index
            var index = opening + 1
            var high: UInt8 = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
                high |= byte
                index += 1
            }
            var token = Token(kind: .string, start: opening + 1, next: tokens.count + 1)
            if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                token.unescaped = true
                token.ascii = high < 0x80
                scanner.index = index + 1
            } else {
                try scanner.skipString()
            }
            token.end = scanner.index - 1
            tokens.append(token)
        }
    }
}
