/// JSON text built by hand into a byte buffer: the encoding hot path (tasks, exports), where `JSONEncoder`'s
/// per-value boxing costs more than the formatting itself. Output follows `JSONCoding`'s
/// conventions (compact, slashes unescaped, object keys in UTF-8 byte order), so that a value
/// written here and one encoded there are the same bytes.
package struct JSONBytes {
    package private(set) var bytes: [UInt8]

    package init(capacity: Int = 2048) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Punctuation and fixed keys, written as they are: the caller guarantees they are valid JSON text.
    package mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// JSON text checked elsewhere, copied as it is.
    package mutating func raw(_ text: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: text)
    }

    /// Text known to need no escaping, such as a number's digits.
    package mutating func rawText(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    package mutating func byte(_ byte: UInt8) {
        bytes.append(byte)
    }

    /// `value` as a quoted JSON string.
    package mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { string(utf8: $0) }
    }

    /// UTF-8 text as a quoted JSON string: quotes, backslashes and control characters escaped,
    /// and the characters that line splitters or terminals take for line breaks or text-direction
    /// switches (U+2028, U+2029, U+202A–U+202E, U+2066–U+2069) written `\u2028` and so on, so that
    /// one record stays one line and reads the same everywhere. The runs between escapes are
    /// copied whole.
    package mutating func string(utf8 text: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        while true {
            index = JSONStringScan.nextStop(in: text, from: index, separators: true)
            guard index < text.count else { break }
            let byte = text[index]
            let tail: UInt64
            let width: Int
            if byte.needsEscape {
                (tail, width) = (byte.escapeTail, 1)
            } else if byte == 0xE2, let separator = Self.separatorEscape(in: text, at: index) {
                (tail, width) = (separator, 3)
            } else {
                index += 1
                continue
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart..<index]))
            bytes.append(UInt8(ascii: "\\"))
            var rest = tail
            while rest != 0 {
                bytes.append(UInt8(truncatingIfNeeded: rest))
                rest >>= 8
            }
            index += width
            runStart = index
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart..<text.count]))
        bytes.append(UInt8(ascii: "\""))
    }

    /// JSON text (say, a document written by another `JSONBytes`) as a quoted JSON string.
    package mutating func string(utf8 text: [UInt8]) {
        text.withUnsafeBufferPointer { string(utf8: $0) }
    }

    /// The escape after its backslash (`u2028`, packed lowest byte first) when `text[index...]`
    /// starts one of the separators.
    private static func separatorEscape(in text: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt64? {
        guard index + 2 < text.count, text[index] == 0xE2 else { return nil }
        let (second, third) = (text[index + 1], text[index + 2])
        let low: UInt8
        switch (second, third) {
        case (0x80, 0xA8...0xAE): low = third - 0xA8 + 0x28
        case (0x81, 0xA6...0xA9): low = third - 0xA6 + 0x66
        default: return nil
        }
        let tail =
            [UInt8(ascii: "u"), UInt8(ascii: "2"), UInt8(ascii: "0")]
            + [low >> 4, low & 0x0F].map {
                UInt8(truncatingIfNeeded: UInt8.hexDigit($0))
            }
        return tail.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }
}

extension UInt8 {
    fileprivate var needsEscape: Bool { self < 0x20 || self == UInt8(ascii: "\"") || self == UInt8(ascii: "\\") }

    static func hexDigit(_ nibble: UInt8) -> UInt64 {
        UInt64(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10)
    }

    /// The escape sequence after its backslash, packed lowest byte first: `n` for a newline,
    /// `u001f` for other control characters, as `JSONEncoder` writes them.
    fileprivate var escapeTail: UInt64 {
        switch self {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): return UInt64(self)
        case 0x08: return UInt64(UInt8(ascii: "b"))
        case 0x09: return UInt64(UInt8(ascii: "t"))
        case 0x0A: return UInt64(UInt8(ascii: "n"))
        case 0x0C: return UInt64(UInt8(ascii: "f"))
        case 0x0D: return UInt64(UInt8(ascii: "r"))
        default:
            let u = UInt64(UInt8(ascii: "u"))
            let zero = UInt64(UInt8(ascii: "0"))
            return u | zero << 8 | zero << 16 | Self.hexDigit(self >> 4) << 24 | Self.hexDigit(self & 0x0F) << 32
        }
    }
}
