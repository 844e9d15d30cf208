/// A validating scan of JSON text that builds nothing. Tool arguments and tool results travel
/// as JSON text; the exports embed them as JSON values, so they are checked here and then copied
/// byte for byte instead of being decoded and encoded again. Enqueue uses it to take one field
/// out of an input row without building the rest. It accepts exactly what `JSONParser` parses.
package enum JSONSyntax {
    package enum Kind: Equatable {
        case object, array, string, number, literal
    }

    /// The kind of the single JSON value `text` holds, or nil when `text` is not exactly one
    /// JSON value (surrounding whitespace allowed).
    package static func kind(of text: String) -> Kind? {
        var text = text
        return text.withUTF8 { kind(of: $0) }
    }

    package static func kind(of text: UnsafeBufferPointer<UInt8>) -> Kind? {
        var scanner = JSONScanner(text)
        scanner.skipWhitespace()
        guard let kind = try? value(&scanner, depth: 0) else { return nil }
        scanner.skipWhitespace()
        return scanner.atEnd ? kind : nil
    }

    /// Where the value of the last top-level member named `key` lies in `text`, which must be
    /// exactly one JSON object; nil when it is not, or has no member whose key is `key` written
    /// without escapes.
    package static func member(
        _ key: UnsafeBufferPointer<UInt8>, of text: UnsafeBufferPointer<UInt8>
    ) -> (kind: Kind, range: Range<Int>)? {
        var scanner = JSONScanner(text)
        var found: (kind: Kind, range: Range<Int>)?
        scanner.skipWhitespace()
        guard scanner.current == UInt8(ascii: "{") else { return nil }
        do {
            try object(&scanner, depth: 0) { name, kind, range in
                if name.count == key.count, name.elementsEqual(key) { found = (kind, range) }
            }
        } catch {
            return nil
        }
        scanner.skipWhitespace()
        return scanner.atEnd ? found : nil
    }

    /// The text of a JSON string literal, quotes included; nil when `literal` is not exactly one.
    package static func string(_ literal: UnsafeBufferPointer<UInt8>) -> String? {
        var scanner = JSONScanner(literal)
        guard scanner.current == UInt8(ascii: "\""), let text = try? scanner.string(), scanner.atEnd else { return nil }
        return text
    }

    /// `text` without the JSON whitespace around it.
    package static func trimmed(_ text: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = text.startIndex
        var end = text.endIndex
        while start < end, JSONScanner.isWhitespace(text[start]) { start += 1 }
        while end > start, JSONScanner.isWhitespace(text[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(rebasing: text[start..<end])
    }

    private static func value(_ scanner: inout JSONScanner, depth: Int) throws(JSONScanError) -> Kind {
        try scanner.checkDepth(depth)
        guard let byte = scanner.current else { throw .unexpectedEnd }
        switch byte {
        case UInt8(ascii: "{"):
            try object(&scanner, depth: depth)
            return .object
        case UInt8(ascii: "["):
            try array(&scanner, depth: depth)
            return .array
        case UInt8(ascii: "\""):
            try scanner.skipString()
            return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            _ = try scanner.literal()
            return .literal
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try scanner.skipNumber()
            return .number
        default: throw .unexpectedByte(at: scanner.index)
        }
    }

    /// An object, reporting each member: its key's bytes (between the quotes, as written), its
    /// value's kind and where the value lies.
    private static func object(
        _ scanner: inout JSONScanner, depth: Int,
        onMember: (UnsafeBufferPointer<UInt8>, Kind, Range<Int>) -> Void = { _, _, _ in }
    ) throws(JSONScanError) {
        scanner.index += 1
        scanner.skipWhitespace()
        if scanner.take(UInt8(ascii: "}")) { return }
        repeat {
            scanner.skipWhitespace()
            let keyStart = scanner.index + 1
            guard scanner.current == UInt8(ascii: "\"") else { throw scanner.unexpected }
            try scanner.skipString()
            let key = UnsafeBufferPointer(rebasing: scanner.bytes[keyStart..<(scanner.index - 1)])
            scanner.skipWhitespace()
            guard scanner.take(UInt8(ascii: ":")) else { throw scanner.unexpected }
            scanner.skipWhitespace()
            let valueStart = scanner.index
            let kind = try value(&scanner, depth: depth + 1)
            onMember(key, kind, valueStart..<scanner.index)
            scanner.skipWhitespace()
        } while scanner.take(UInt8(ascii: ","))
        guard scanner.take(UInt8(ascii: "}")) else { throw scanner.unexpected }
    }

    private static func array(_ scanner: inout JSONScanner, depth: Int) throws(JSONScanError) {
        scanner.index += 1
        scanner.skipWhitespace()
        if scanner.take(UInt8(ascii: "]")) { return }
        repeat {
            scanner.skipWhitespace()
            _ = try value(&scanner, depth: depth + 1)
            scanner.skipWhitespace()
        } while scanner.take(UInt8(ascii: ","))
        guard scanner.take(UInt8(ascii: "]")) else { throw scanner.unexpected }
    }
}
