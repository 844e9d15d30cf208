import Foundation

/// Takes the JSON object out of a model's reply.
///
/// An object candidate is a balanced `{...}` that opens on a key, a quote or a close, so that
/// braces in prose are passed over; strings and escapes are respected while balancing. The first
/// candidate that parses wins: a code fence or prose around it does not matter, and neither do later
/// objects. Nothing inside a failed candidate is tried, as an inner object of a broken reply is not
/// its answer; if nothing wins, the error describes the first failure.
///
/// A `[` that starts a line or opens on `{`, `[` or `]` is tried as an array, so that a top-level
/// array is reported rather than mined for its first element; if it does not parse, it was prose.
///
/// Each byte is scanned a bounded number of times: once as prose, once while balancing an object,
/// and at most `arrayAttempts` times while balancing brackets that may be arrays.
public enum ReplyExtraction {
    package static let arrayAttempts = 8

    /// The one JSON object in a model reply: bare, in a ``` or ```json code fence, or with prose around it. Anything else throws ReplyParseError with a clear message.
    public static func jsonObject(in reply: String) throws(ReplyParseError) -> JSONValue {
        let bytes = Array(reply.utf8)
        guard bytes.contains(where: { !isWhitespace($0) }) else { throw .emptyReply }
        var firstFailure: ReplyParseError?
        var arraysTried = 0
        var index = 0
        var atLineStart = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "{"), opensJSONObject(bytes, at: index) {
                guard let end = closingIndex(bytes, from: index) else { throw firstFailure ?? .truncatedObject }
                switch parse(bytes[index...end]) {
                case .success(let object):
                    return object
                case .failure(let failure):
                    firstFailure = firstFailure ?? .invalidJSON(excerpt: excerpt(bytes[index...end]), reason: failure.reason)
                }
                index = end + 1
                atLineStart = false
                continue
            }
            if byte == UInt8(ascii: "["), arraysTried < arrayAttempts, opensArray(bytes, at: index, atLineStart: atLineStart) {
                arraysTried += 1
                if let end = closingIndex(bytes, from: index), case .success = parse(bytes[index...end]) {
                    firstFailure = firstFailure ?? .arrayAtTopLevel
                    index = end + 1
                    atLineStart = false
                    continue
                }
            }
            atLineStart = byte == UInt8(ascii: "\n") || (atLineStart && isWhitespace(byte))
            index += 1
        }
        throw firstFailure ?? .noJSONObject
    }

    private struct ParseFailure: Error {
        var reason: String
    }

    /// The index of the bracket that closes the one at `start`, or nil if the text ends first.
    private static func closingIndex(_ bytes: [UInt8], from start: Int) -> Int? {
        var depth = 0
        var inString = false
        var escaped = false
        for index in start..<bytes.count {
            let byte = bytes[index]
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return index }
            default:
                break
            }
        }
        return nil
    }

    /// `{` followed by a key (single quotes too, to report them), a close, or the end of a cut-off reply.
    private static func opensJSONObject(_ bytes: [UInt8], at index: Int) -> Bool {
        guard let next = nextNonWhitespace(bytes, after: index) else { return true }
        return next == UInt8(ascii: "\"") || next == UInt8(ascii: "'") || next == UInt8(ascii: "}")
    }

    private static func opensArray(_ bytes: [UInt8], at index: Int, atLineStart: Bool) -> Bool {
        if atLineStart { return true }
        guard let next = nextNonWhitespace(bytes, after: index) else { return false }
        return next == UInt8(ascii: "{") || next == UInt8(ascii: "[") || next == UInt8(ascii: "]")
    }

    private static func nextNonWhitespace(_ bytes: [UInt8], after index: Int) -> UInt8? {
        bytes[(index + 1)...].first { !isWhitespace($0) }
    }

    private static func parse(_ bytes: ArraySlice<UInt8>) -> Result<JSONValue, ParseFailure> {
        let data = Data(bytes)
        do {
            return .success(try JSONCoding.decode(JSONValue.self, from: data))
        } catch {
            return .failure(ParseFailure(reason: reason(parsing: data)))
        }
    }

    /// JSONDecoder says only that the data is not valid; JSONSerialization says where and why.
    private static func reason(parsing data: Data) -> String {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed)
        } catch let error as NSError {
            if let detail = error.userInfo[NSDebugDescriptionErrorKey] as? String, let first = detail.first {
                return first.lowercased() + detail.dropFirst().trimmingCharacters(in: CharacterSet(charactersIn: "."))
            }
        }
        return "not valid JSON"
    }

    private static func excerpt(_ bytes: ArraySlice<UInt8>) -> String {
        let text = String(decoding: bytes.prefix(40), as: UTF8.self)
            .split(whereSeparator: \.isNewline).joined(separator: " ")
        return bytes.count > 40 ? text + "…" : text
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
