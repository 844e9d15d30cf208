import Foundation

extension TaskEnvelope {
    /// The envelope's fixed header, the one Swift reader of it, as `Scripts/envelope.lua` is
    /// the Lua one: `{"tid":"…","run":"…","stage":"…","attempt":N,"recoveries":N,"item":`
    /// exactly, with a non-empty tid, read without a JSON parser.
    package struct Header: Sendable, Hashable {
        package var tid: String
        package var run: String
        /// As written, which may be no stage this build knows.
        package var stage: String
        package var attempt: Int
        package var recoveries: Int
        /// Where the item starts, counted from the data's start.
        package var itemOffset: Int

        /// The header of `data`, or nil when it is no task envelope.
        package static func read(_ data: Data) -> Header? {
            var cursor = Cursor(bytes: data)
            guard let tid = cursor.string(after: #"{"tid":""#), !tid.isEmpty,
                let run = cursor.string(after: #","run":""#),
                let stage = cursor.string(after: #","stage":""#),
                let attempt = cursor.integer(after: #","attempt":"#),
                let recoveries = cursor.integer(after: #","recoveries":"#),
                cursor.skip(#","item":"#)
            else { return nil }
            return Header(
                tid: tid, run: run, stage: stage, attempt: attempt, recoveries: recoveries, itemOffset: cursor.offset)
        }
    }

    /// Walks the header's literals and values.
    private struct Cursor {
        let bytes: Data
        var offset = 0

        mutating func skip(_ literal: String) -> Bool {
            let literalBytes = Array(literal.utf8)
            guard bytes.count - offset >= literalBytes.count else { return false }
            let start = bytes.startIndex + offset
            guard bytes[start..<start + literalBytes.count].elementsEqual(literalBytes) else { return false }
            offset += literalBytes.count
            return true
        }

        mutating func string(after literal: String) -> String? {
            guard skip(literal) else { return nil }
            let start = bytes.startIndex + offset
            guard let end = bytes[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
            offset = end - bytes.startIndex + 1
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }

        /// Up to 9 digits, as in `envelope.lua`, whose numbers are doubles.
        mutating func integer(after literal: String) -> Int? {
            guard skip(literal) else { return nil }
            var value = 0
            var digits = 0
            while offset < bytes.count, case let digit = bytes[bytes.startIndex + offset], digit >= 0x30, digit <= 0x39
            {
                guard digits < 9 else { return nil }
                value = value * 10 + Int(digit - 0x30)
                offset += 1
                digits += 1
            }
            return digits > 0 ? value : nil
        }
    }
}
