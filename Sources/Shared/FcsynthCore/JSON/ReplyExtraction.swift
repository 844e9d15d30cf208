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
        var reply = reply
        return try reply.withUTF8 { jsonObject(in: $0) }.get()
    }

    private static func jsonObject(in bytes: UnsafeBufferPointer<UInt8>) -> Result<JSONValue, ReplyParseError> {
        guard bytes.contains(where: { !JSONScanner.isWhitespace($0) }) else { return .failure(.emptyReply) }
        var firstFailure: ReplyParseError?
        var arraysTried = 0
        var index = 0
        var atLineStart = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "{"), opensJSONObject(bytes, at: index) {
                guard let end = closingIndex(bytes, from: index) else {
                    return .failure(firstFailure ?? .truncatedObject)
                }
                let candidate = UnsafeBufferPointer(rebasing: bytes[index...end])
                if let object = JSONParser.parse(bytes: candidate) { return .success(object) }
                firstFailure =
                    firstFailure ?? .invalidJSON(excerpt: excerpt(candidate), reason: reason(parsing: candidate))
                index = end + 1
                atLineStart = false
                continue
            }
            if byte == UInt8(ascii: "["), arraysTried < arrayAttempts,
                opensArray(bytes, at: index, atLineStart: atLineStart)
            {
                arraysTried += 1
                if let end = closingIndex(bytes, from: index),
                    JSONParser.parse(bytes: UnsafeBufferPointer(rebasing: bytes[index...end])) != nil
                {
                    firstFailure = firstFailure ?? .arrayAtTopLevel
                    index = end + 1
                    atLineStart = false
                    continue
                }
            }
            atLineStart = byte == UInt8(ascii: "\n") || (atLineStart && JSONScanner.isWhitespace(byte))
            index += 1
        }
        return .failure(firstFailure ?? .noJSONObject)
    }

    /// The index of the bracket that closes the one at `start`, or nil if the text ends first.
    private static func closingIndex(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var scanner = JSONScanner(bytes, at: start)
        var depth = 0
        while let byte = scanner.current {
            switch byte {
            case UInt8(ascii: "\""):
                guard scanner.skipLooseString() else { return nil }
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return scanner.index }
            default:
                break
            }
            scanner.index += 1
        }
        return nil
    }

    /// `{` followed by a key (single quotes too, to report them), a close, or the end of a cut-off reply.
    private static func opensJSONObject(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard let next = nextNonWhitespace(bytes, after: index) else { return true }
        return next == UInt8(ascii: "\"") || next == UInt8(ascii: "'") || next == UInt8(ascii: "}")
    }

    private static func opensArray(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, atLineStart: Bool) -> Bool {
        if atLineStart { return true }
        guard let next = nextNonWhitespace(bytes, after: index) else { return false }
        return next == UInt8(ascii: "{") || next == UInt8(ascii: "[") || next == UInt8(ascii: "]")
    }

    private static func nextNonWhitespace(_ bytes: UnsafeBufferPointer<UInt8>, after index: Int) -> UInt8? {
        var scanner = JSONScanner(bytes, at: index + 1)
        scanner.skipWhitespace()
        return scanner.current
    }

    /// JSONSerialization's account of where and why, in the words corrections have always used.
    private static func reason(parsing bytes: UnsafeBufferPointer<UInt8>) -> String {
        do {
            _ = try JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed)
        } catch let error as NSError {
            if let detail = error.userInfo[NSDebugDescriptionErrorKey] as? String, let first = detail.first {
                return first.lowercased() + detail.dropFirst().trimmingCharacters(in: CharacterSet(charactersIn: "."))
            }
        }
        return "not valid JSON"
    }

    private static func excerpt(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let text = String(decoding: bytes.prefix(40), as: UTF8.self)
            .split(whereSeparator: \.isNewline).joined(separator: " ")
        return bytes.count > 40 ? text + "…" : text
    }
}
