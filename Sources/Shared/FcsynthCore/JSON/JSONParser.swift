import Foundation

/// A direct parser from JSON text to `JSONValue`. Decoding `JSONValue` through `JSONDecoder`
/// costs milliseconds per kilobyte on Linux, since its `Decodable` conformance tries each type
/// in turn and every miss throws; tasks, prompt data, tool arguments and results are parsed on
/// every step, so they use this instead (and `JSONCoding.decode` builds on it).
package enum JSONParser {
    /// The single JSON value `text` holds (whitespace around it allowed), or nil when it is not
    /// exactly one valid JSON value.
    package static func parse(_ text: String) -> JSONValue? {
        var text = text
        return text.withUTF8(parse(bytes:))
    }

    package static func parse<Bytes: ContiguousBytes>(_ data: Bytes) -> JSONValue? {
        data.withUnsafeBytes { raw in parse(bytes: raw.bindMemory(to: UInt8.self)) }
    }

    package static func parse(bytes: UnsafeBufferPointer<UInt8>) -> JSONValue? {
        try? value(of: bytes)
    }

    /// As `parse`, saying why the text is not one JSON value.
    package static func value(of bytes: UnsafeBufferPointer<UInt8>) throws(JSONScanError) -> JSONValue {
        var reader = Reader(scanner: JSONScanner(bytes))
        reader.scanner.skipWhitespace()
        let value = try reader.value(depth: 0)
        reader.scanner.skipWhitespace()
        guard reader.scanner.atEnd else { throw reader.scanner.unexpected }
        return value
    }

    private struct Reader {
        var scanner: JSONScanner

        mutating func value(depth: Int) throws(JSONScanError) -> JSONValue {
            try scanner.checkDepth(depth)
            guard let byte = scanner.current else { throw .unexpectedEnd }
            switch byte {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try scanner.string())
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                return switch try scanner.literal() {
                case .true: .bool(true)
                case .false: .bool(false)
                case .null: .null
                }
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try scanner.number())
            default: throw .unexpectedByte(at: scanner.index)
            }
        }

        private mutating func object(depth: Int) throws(JSONScanError) -> JSONValue {
            scanner.index += 1
            var members: [String: JSONValue] = [:]
            scanner.skipWhitespace()
            if scanner.take(UInt8(ascii: "}")) { return .object(members) }
            while true {
                scanner.skipWhitespace()
                guard scanner.current == UInt8(ascii: "\"") else { throw scanner.unexpected }
                let key = try scanner.string()
                scanner.skipWhitespace()
                guard scanner.take(UInt8(ascii: ":")) else { throw scanner.unexpected }
                scanner.skipWhitespace()
                members[key] = try value(depth: depth + 1)
                scanner.skipWhitespace()
                if scanner.take(UInt8(ascii: ",")) { continue }
                guard scanner.take(UInt8(ascii: "}")) else { throw scanner.unexpected }
                return .object(members)
            }
        }

        private mutating func array(depth: Int) throws(JSONScanError) -> JSONValue {
            scanner.index += 1
            var elements: [JSONValue] = []
            scanner.skipWhitespace()
            if scanner.take(UInt8(ascii: "]")) { return .array(elements) }
            while true {
                scanner.skipWhitespace()
                elements.append(try value(depth: depth + 1))
                scanner.skipWhitespace()
                if scanner.take(UInt8(ascii: ",")) { continue }
                guard scanner.take(UInt8(ascii: "]")) else { throw scanner.unexpected }
                return .array(elements)
            }
        }
    }
}
