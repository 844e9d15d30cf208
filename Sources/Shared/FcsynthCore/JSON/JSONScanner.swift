/// The tokens of JSON text, read in place from its UTF-8 bytes: whitespace, punctuation,
/// literals, numbers and strings with their escapes. `JSONParser`, `JSONSyntax` and
/// `ReplyExtraction` all read through it, so that one grammar decides what JSON is; each keeps
/// only its own structure (what it builds, or what it looks for) on top.
package struct JSONScanner {
    /// Documents nested deeper than this are refused rather than risk the stack: no task,
    /// tool call or schema nests this far.
    package static let maximumDepth = 512

    package let bytes: UnsafeBufferPointer<UInt8>
    package var index: Int

    package init(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int = 0) {
        self.bytes = bytes
        self.index = index
    }

    /// The four bytes JSON allows between tokens; Unicode's other spaces are not among them.
    /// Inlinable: input streaming tests it on bytes between rows.
    @inlinable
    package static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    package var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    package var atEnd: Bool { index == bytes.count }

    package mutating func skipWhitespace() {
        while index < bytes.count, Self.isWhitespace(bytes[index]) { index += 1 }
    }

    /// Moves past `byte` if it comes next.
    package mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// The error for whatever stands where the grammar wanted something else.
    package var unexpected: JSONScanError {
        atEnd ? .unexpectedEnd : .unexpectedByte(at: index)
    }

    /// Refuses a value nested `depth` levels deep once that reaches `maximumDepth`.
    package func checkDepth(_ depth: Int) throws(JSONScanError) {
        guard depth < Self.maximumDepth else { throw .tooDeep(at: index) }
    }

    // MARK: Literals

    package enum Literal: Equatable {
        case `true`, `false`, null
    }

    /// The literal that starts here.
    package mutating func literal() throws(JSONScanError) -> Literal {
        switch current {
        case UInt8(ascii: "t"):
            try word("true")
            return .true
        case UInt8(ascii: "f"):
            try word("false")
            return .false
        case UInt8(ascii: "n"):
            try word("null")
            return .null
        default: throw .badLiteral(at: index)
        }
    }

    private mutating func word(_ word: StaticString) throws(JSONScanError) {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw .badLiteral(at: index) }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
            throw .badLiteral(at: index)
        }
        index += count
    }

    // MARK: Numbers

    /// The number that starts here.
    package mutating func number() throws(JSONScanError) -> Double {
        let start = index
        try skipNumber()
        // Short texts are stored inline: no allocation per number.
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let number = Double(text) else { throw .badNumber(at: start) }
        return number
    }

    /// Moves past the number that starts here, in JSON's grammar: no leading zeros, no bare
    /// point, no plus sign.
    package mutating func skipNumber() throws(JSONScanError) {
        let start = index
        _ = take(UInt8(ascii: "-"))
        if !take(UInt8(ascii: "0")) {
            guard let first = current, (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(first) else {
                throw .badNumber(at: start)
            }
            skipDigits()
        }
        if take(UInt8(ascii: ".")) {
            guard skipDigits() else { throw .badNumber(at: start) }
        }
        if take(UInt8(ascii: "e")) || take(UInt8(ascii: "E")) {
            if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
            guard skipDigits() else { throw .badNumber(at: start) }
        }
    }

    /// Skips a run of digits; false when there was none.
    @discardableResult
    private mutating func skipDigits() -> Bool {
        let start = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        return index > start
    }

    // MARK: Strings

    /// The text of the string that starts here, at its opening quote.
    package mutating func string() throws(JSONScanError) -> String {
        let opening = index
        index = JSONStringScan.nextStop(in: bytes, from: index + 1, separators: false)
        guard index < bytes.count else { throw .unterminatedString(at: opening) }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            index += 1
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[(opening + 1)..<(index - 1)]), as: UTF8.self)
        case UInt8(ascii: "\\"):
            return try escapedString(opening: opening)
        default:
            throw .controlCharacter(at: index)
        }
    }

    /// The rest of a string from its first backslash: decoded into bytes, the runs between
    /// escapes copied whole, so that text with many escapes (seed chats) costs one copy.
    private mutating func escapedString(opening: Int) throws(JSONScanError) -> String {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(2 * (index - opening) + 64)
        var run = opening + 1
        while true {
            index = JSONStringScan.nextStop(in: bytes, from: index, separators: false)
            guard index < bytes.count else { throw .unterminatedString(at: opening) }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                decoded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<index]))
                index += 1
                return String(decoding: decoded, as: UTF8.self)
            case UInt8(ascii: "\\"):
                decoded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<index]))
                if index + 1 < bytes.count, let simple = Self.simpleEscape(bytes[index + 1]) {
                    decoded.append(simple)
                    index += 2
                } else {
                    UTF8.encode(try escape(opening: opening)) { decoded.append($0) }
                }
                run = index
            default:
                throw .controlCharacter(at: index)
            }
        }
    }

    /// Moves past the string that starts here, checking it as `string()` does without building it.
    package mutating func skipString() throws(JSONScanError) {
        let opening = index
        index += 1
        while true {
            index = JSONStringScan.nextStop(in: bytes, from: index, separators: false)
            guard index < bytes.count else { throw .unterminatedString(at: opening) }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                return
            case UInt8(ascii: "\\"):
                if index + 1 < bytes.count, Self.simpleEscape(bytes[index + 1]) != nil {
                    index += 2
                } else {
                    _ = try escape(opening: opening)
                }
            default:
                throw .controlCharacter(at: index)
            }
        }
    }

    /// Moves past the string that starts here without checking what is inside, only that a
    /// backslash escapes the byte after it: for balancing brackets in text that may not be
    /// JSON at all. False when the text ends first.
    package mutating func skipLooseString() -> Bool {
        index += 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                return true
            case UInt8(ascii: "\\"):
                index += 2
            default:
                index += 1
            }
        }
        index = bytes.count
        return false
    }

    /// The byte a two-character escape stands for (a newline for `\n`), or nil for `\u` and
    /// anything JSON does not define. Checked in the string loops before calling `escape`:
    /// text full of `\n` and `\"` (seed chats) would otherwise pay a call per escape.
    @inline(__always)
    private static func simpleEscape(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): byte
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
    }

    /// The character of the escape sequence at the cursor, a UTF-16 surrogate pair joined.
    private mutating func escape(opening: Int) throws(JSONScanError) -> Unicode.Scalar {
        let backslash = index
        index += 1
        guard let byte = current else { throw .unterminatedString(at: opening) }
        index += 1
        if let simple = Self.simpleEscape(byte) { return Unicode.Scalar(simple) }
        guard byte == UInt8(ascii: "u") else { throw .badEscape(at: backslash) }
        let unit = try hexUnit(escape: backslash, opening: opening)
        switch unit {
        case 0xD800..<0xDC00:
            guard take(UInt8(ascii: "\\")), take(UInt8(ascii: "u")) else { throw .loneSurrogate(at: backslash) }
            let low = try hexUnit(escape: index - 2, opening: opening)
            guard (0xDC00..<0xE000).contains(low) else { throw .loneSurrogate(at: backslash) }
            return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!
        case 0xDC00..<0xE000:
            throw .loneSurrogate(at: backslash)
        default:
            return Unicode.Scalar(unit)!
        }
    }

    /// The four hex digits of a `\u` escape that starts at `escape`.
    private mutating func hexUnit(escape: Int, opening: Int) throws(JSONScanError) -> UInt32 {
        var unit: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current else { throw .unterminatedString(at: opening) }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw .badEscape(at: escape)
            }
            unit = unit << 4 | UInt32(digit)
            index += 1
        }
        return unit
    }
}
