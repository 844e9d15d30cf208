/// A validating scan of JSON text that builds nothing. Tool arguments and tool results travel
/// as JSON text; the exports embed them as JSON values, so they are checked here and then copied
/// byte for byte instead of being decoded and encoded again. Enqueue uses it to take one field
/// out of an input row without building the rest.
package enum JSONSyntax {
    package enum Kind: Equatable {
        case object, array, string, number, literal
    }

    /// Deeper documents are refused rather than risk the stack: no tool call nests this far.
    package static let maximumDepth = 512

    /// The kind of the single JSON value `text` holds, or nil when `text` is not exactly one
    /// JSON value (surrounding whitespace allowed).
    package static func kind(of text: String) -> Kind? {
        var text = text
        return text.withUTF8 { kind(of: $0) }
    }

    package static func kind(of text: UnsafeBufferPointer<UInt8>) -> Kind? {
        var scanner = Scanner(text: text)
        scanner.skipWhitespace()
        guard let kind = scanner.value(depth: 0) else { return nil }
        scanner.skipWhitespace()
        return scanner.atEnd ? kind : nil
    }

    /// Where the value of the last top-level member named `key` lies in `text`, which must be
    /// exactly one JSON object; nil when it is not, or has no member whose key is `key` written
    /// without escapes.
    package static func member(_ key: UnsafeBufferPointer<UInt8>, of text: UnsafeBufferPointer<UInt8>) -> (kind: Kind, range: Range<Int>)? {
        var scanner = Scanner(text: text)
        var found: (kind: Kind, range: Range<Int>)?
        scanner.skipWhitespace()
        let valid = scanner.object { name, kind, range in
            if name.count == key.count, name.elementsEqual(key) { found = (kind, range) }
        }
        scanner.skipWhitespace()
        return valid && scanner.atEnd ? found : nil
    }

    /// The text of a JSON string literal, quotes included, that the scan accepted; nil when it
    /// escapes half of a surrogate pair, which has no text.
    package static func string(_ literal: UnsafeBufferPointer<UInt8>) -> String? {
        let inside = UnsafeBufferPointer(rebasing: literal[(literal.startIndex + 1)..<(literal.endIndex - 1)])
        guard inside.contains(UInt8(ascii: "\\")) else { return String(decoding: inside, as: UTF8.self) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(inside.count)
        var index = inside.startIndex
        while index < inside.endIndex {
            let byte = inside[index]
            index += 1
            guard byte == UInt8(ascii: "\\") else {
                bytes.append(byte)
                continue
            }
            let escaped = inside[index]
            index += 1
            switch escaped {
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "u"):
                var code = hexQuad(inside, at: index)
                index += 4
                if (0xD800..<0xDC00).contains(code) {
                    guard index + 6 <= inside.endIndex, inside[index] == UInt8(ascii: "\\"), inside[index + 1] == UInt8(ascii: "u")
                    else { return nil }
                    let low = hexQuad(inside, at: index + 2)
                    guard (0xDC00..<0xE000).contains(low) else { return nil }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                guard let scalar = Unicode.Scalar(code) else { return nil }
                UTF8.encode(scalar) { bytes.append($0) }
            default: bytes.append(escaped)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Four hex digits the scan already checked.
    private static func hexQuad(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt32 {
        text[index..<(index + 4)].reduce(0) { value, digit in
            let nibble: UInt8 = switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
            default: digit - UInt8(ascii: "A") + 10
            }
            return value << 4 | UInt32(nibble)
        }
    }

    /// `text` without the JSON whitespace around it.
    package static func trimmed(_ text: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = text.startIndex
        var end = text.endIndex
        while start < end, isWhitespace(text[start]) { start += 1 }
        while end > start, isWhitespace(text[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(rebasing: text[start..<end])
    }

    fileprivate static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}

private struct Scanner {
    let text: UnsafeBufferPointer<UInt8>
    var index = 0

    init(text: UnsafeBufferPointer<UInt8>) {
        self.text = text
    }

    var atEnd: Bool { index == text.count }

    private var current: UInt8? { index < text.count ? text[index] : nil }

    mutating func skipWhitespace() {
        while let byte = current, JSONSyntax.isWhitespace(byte) { index += 1 }
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard current == byte else { return false }
        index += 1
        return true
    }

    mutating func value(depth: Int) -> JSONSyntax.Kind? {
        guard depth < JSONSyntax.maximumDepth, let byte = current else { return nil }
        switch byte {
        case UInt8(ascii: "{"): return object(depth: depth) ? .object : nil
        case UInt8(ascii: "["): return array(depth: depth) ? .array : nil
        case UInt8(ascii: "\""): return string() ? .string : nil
        case UInt8(ascii: "t"): return literal("true") ? .literal : nil
        case UInt8(ascii: "f"): return literal("false") ? .literal : nil
        case UInt8(ascii: "n"): return literal("null") ? .literal : nil
        default: return number() ? .number : nil
        }
    }

    /// A top-level object, reporting each member: its key's bytes (between the quotes, as
    /// written), its value's kind and where the value lies.
    mutating func object(onMember: (UnsafeBufferPointer<UInt8>, JSONSyntax.Kind, Range<Int>) -> Void) -> Bool {
        current == UInt8(ascii: "{") && object(depth: 0, onMember: onMember)
    }

    private mutating func object(depth: Int, onMember: (UnsafeBufferPointer<UInt8>, JSONSyntax.Kind, Range<Int>) -> Void = { _, _, _ in }) -> Bool {
        index += 1
        skipWhitespace()
        if take(UInt8(ascii: "}")) { return true }
        repeat {
            skipWhitespace()
            let keyStart = index + 1
            guard current == UInt8(ascii: "\""), string() else { return false }
            let key = UnsafeBufferPointer(rebasing: text[keyStart..<(index - 1)])
            skipWhitespace()
            guard take(UInt8(ascii: ":")) else { return false }
            skipWhitespace()
            let valueStart = index
            guard let kind = value(depth: depth + 1) else { return false }
            onMember(key, kind, valueStart..<index)
            skipWhitespace()
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
    }

    private mutating func array(depth: Int) -> Bool {
        index += 1
        skipWhitespace()
        if take(UInt8(ascii: "]")) { return true }
        repeat {
            skipWhitespace()
            guard value(depth: depth + 1) != nil else { return false }
            skipWhitespace()
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]"))
    }

    /// Swift strings are valid UTF-8 already, so only JSON's own rules are checked.
    private mutating func string() -> Bool {
        index += 1
        while let byte = current {
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return true
            case UInt8(ascii: "\\"):
                guard let escaped = current else { return false }
                index += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    continue
                case UInt8(ascii: "u"):
                    for _ in 0..<4 {
                        guard let digit = current, digit.isHexDigit else { return false }
                        index += 1
                    }
                default:
                    return false
                }
            case ..<0x20:
                return false
            default:
                continue
            }
        }
        return false
    }

    private mutating func number() -> Bool {
        _ = take(UInt8(ascii: "-"))
        if !take(UInt8(ascii: "0")) {
            guard let first = current, (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(first) else { return false }
            skipDigits()
        }
        if take(UInt8(ascii: ".")) {
            guard skipDigits() else { return false }
        }
        if take(UInt8(ascii: "e")) || take(UInt8(ascii: "E")) {
            if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
            guard skipDigits() else { return false }
        }
        return true
    }

    /// Skips a run of digits; false when there was none.
    @discardableResult
    private mutating func skipDigits() -> Bool {
        let start = index
        while let byte = current, byte.isDigit { index += 1 }
        return index > start
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        word.withUTF8Buffer { word in
            guard index + word.count <= text.count else { return false }
            for offset in 0..<word.count where text[index + offset] != word[offset] {
                return false
            }
            index += word.count
            return true
        }
    }
}

private extension UInt8 {
    var isDigit: Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) }

    var isHexDigit: Bool {
        isDigit || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self) || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(self)
    }
}
