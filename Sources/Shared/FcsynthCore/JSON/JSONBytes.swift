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

    /// UTF-8 text as a quoted JSON string.
    package mutating func string(utf8 text: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        let escaped = EscapedUTF8(text)
        if escaped.underestimatedCount == text.count {
            bytes.append(contentsOf: text)
        } else {
            bytes.append(contentsOf: escaped)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// JSON text (say, a document written by another `JSONBytes`) as a quoted JSON string.
    package mutating func string(utf8 text: [UInt8]) {
        text.withUnsafeBufferPointer { string(utf8: $0) }
    }
}

/// The inside of a JSON string: `text` with quotes, backslashes and control characters escaped,
/// and the characters that line splitters or terminals take for line breaks or text-direction
/// switches (U+2028, U+2029, U+202A–U+202E, U+2066–U+2069), written `\u2028` and so on, so that
/// one record stays one line and reads the same everywhere.
/// Its exact length is counted up front, so that `Array.append(contentsOf:)` grows the buffer
/// once and then copies in a single tight loop.
private struct EscapedUTF8: Sequence {
    let text: UnsafeBufferPointer<UInt8>
    let underestimatedCount: Int

    init(_ text: UnsafeBufferPointer<UInt8>) {
        self.text = text
        var count = text.count
        for (index, byte) in text.enumerated() {
            if byte.needsEscape {
                count += byte.escapeLength - 1
            } else if byte == 0xE2, Self.separator(in: text, at: index) != nil {
                count += 3
            }
        }
        underestimatedCount = count
    }

    func makeIterator() -> Iterator {
        Iterator(text: text)
    }

    /// The code point's last hex digits when `text[index...]` starts one of the separators, as
    /// the tail of its escape (`u2028`), packed lowest byte first.
    static func separator(in text: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt64? {
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

    struct Iterator: IteratorProtocol {
        package let text: UnsafeBufferPointer<UInt8>
        package var index = 0
        /// The rest of an escape sequence, lowest byte first.
        package var pending: UInt64 = 0

        package init(text: UnsafeBufferPointer<UInt8>) {
            self.text = text
        }

        package mutating func next() -> UInt8? {
            if pending != 0 {
                defer { pending >>= 8 }
                return UInt8(truncatingIfNeeded: pending)
            }
            guard index < text.count else { return nil }
            let byte = text[index]
            if byte == 0xE2, let tail = EscapedUTF8.separator(in: text, at: index) {
                index += 3
                pending = tail
                return UInt8(ascii: "\\")
            }
            index += 1
            guard byte.needsEscape else { return byte }
            pending = byte.escapeTail
            return UInt8(ascii: "\\")
        }
    }
}

extension UInt8 {
    fileprivate var needsEscape: Bool { self < 0x20 || self == UInt8(ascii: "\"") || self == UInt8(ascii: "\\") }

    /// The length of the escape sequence, backslash included.
    fileprivate var escapeLength: Int {
        switch self {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x08, 0x09, 0x0A, 0x0C, 0x0D: 2
        default: 6
        }
    }

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
