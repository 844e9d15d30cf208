import Foundation

extension JSONBytes {
    /// `value` as `JSONValue`'s `Encodable` conformance writes it: integral numbers without a
    /// fraction, object keys sorted.
    package mutating func value(_ value: JSONValue) throws(JSONWriteError) {
        switch value {
        case .null: raw("null")
        case .bool(let flag): flag ? raw("true") : raw("false")
        case .number(let number): try self.number(number)
        case .string(let text): string(text)
        case .array(let elements):
            byte(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { byte(UInt8(ascii: ",")) }
                try self.value(element)
            }
            byte(UInt8(ascii: "]"))
        case .object(let members):
            byte(UInt8(ascii: "{"))
            let sorted = members.sorted { Self.keyPrecedes($0.key, $1.key) }
            for (index, member) in sorted.enumerated() {
                if index > 0 { byte(UInt8(ascii: ",")) }
                string(member.key)
                byte(UInt8(ascii: ":"))
                try self.value(member.value)
            }
            byte(UInt8(ascii: "}"))
        }
    }

    /// Object keys in UTF-8 byte order, as `JSONEncoder` sorts them; compared with `memcmp`
    /// where the bytes are contiguous (always, for native strings).
    package static func keyPrecedes(_ a: String, _ b: String) -> Bool {
        let compared = a.utf8.withContiguousStorageIfAvailable { a in
            b.utf8.withContiguousStorageIfAvailable { b in
                guard let first = a.baseAddress, let second = b.baseAddress else { return a.count < b.count }
                let common = memcmp(first, second, min(a.count, b.count))
                return common != 0 ? common < 0 : a.count < b.count
            }
        }
        return (compared ?? nil) ?? a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    private mutating func number(_ number: Double) throws(JSONWriteError) {
        guard number.isFinite else { throw JSONWriteError("a number is not finite (\(number))") }
        if number.rounded() == number, abs(number) < 9.0e15 {
            rawText(String(Int64(number)))
        } else {
            rawText(number.description)
        }
    }
}
