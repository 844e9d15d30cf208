import FcsynthCore
import Foundation

/// Checks one input row and takes out its seed chat, within the size limit. The input field is
/// the input key, or the path it names (`data.dialogue`) when no field has that name; it holds
/// a glaive-style chat string, or turns (OpenAI-style `messages`, ShareGPT `conversations`)
/// rendered into one (`SeedTranscript`). Under the default key, a row without `chat` is read
/// from its `messages` or `conversations` field.
package struct RowValidator {
    /// The key whose rows may hold their dialogue in the fields other layouts name instead.
    package static let defaultKey = "chat"
    private static let fallbackKeys = ["messages", "conversations"]

    package let inputKey: String
    package let maxRowBytes: Int
    package let layout: InputRecordReader.Layout

    package func seed(of record: InputRecord) -> Result<String, RowRejection> {
        func reject(_ reason: String) -> Result<String, RowRejection> {
            .failure(
                RowRejection(line: record.line, element: layout == .jsonArray ? record.number : nil, reason: reason))
        }
        if let oversize = record.oversize {
            return reject("row is \(oversize) bytes, over the \(maxRowBytes)-byte limit (--max-row-bytes)")
        }
        guard String(validating: record.bytes, as: UTF8.self) != nil else {
            return reject("not valid UTF-8")
        }
        let seed: String
        switch quickSeed(of: record.bytes) ?? parsedSeed(of: record.bytes) {
        case .success(let value): seed = value
        case .failure(let reason): return reject(reason.text)
        }
        guard seed.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else {
            return reject("\"\(inputKey)\" is empty")
        }
        return .success(seed)
    }

    private struct Reason: Error {
        var text: String
    }

    /// A well-formed row whose input field is a string, read in one pass without building the
    /// rest of the row: nearly every row. Anything else is left to `parsedSeed`, whose verdict
    /// and messages stay the reference.
    private func quickSeed(of bytes: [UInt8]) -> Result<String, Reason>? {
        var key = inputKey
        return key.withUTF8 { key in
            bytes.withUnsafeBufferPointer { row in
                guard let member = JSONSyntax.member(key, of: row), member.kind == .string,
                    let seed = JSONSyntax.string(UnsafeBufferPointer(rebasing: row[member.range]))
                else { return nil }
                return .success(seed)
            }
        }
    }

    private func parsedSeed(of bytes: [UInt8]) -> Result<String, Reason> {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            return .failure(Reason(text: "not valid JSON\(Self.detail(of: error))"))
        }
        guard let object = parsed as? [String: Any] else {
            return .failure(Reason(text: "not a JSON object (found \(Self.typeName(parsed)))"))
        }
        guard let (field, value) = field(of: object) else {
            let also = inputKey == Self.defaultKey ? ", nor \"messages\" or \"conversations\"" : ""
            return .failure(Reason(text: "no \"\(inputKey)\" field (the input key; set it with --input-key)\(also)"))
        }
        if let seed = value as? String, !(value is NSNumber) { return .success(seed) }
        if let turns = value as? [Any] {
            return SeedTranscript.render(turns, field: field).mapError { Reason(text: $0.reason) }
        }
        return .failure(
            Reason(
                text:
                    "\"\(field)\" must be a string, not \(Self.typeName(value))"
            ))
    }

    /// The field named by the input key, or by its dotted path, or a fallback of the default key.
    private func field(of object: [String: Any]) -> (String, Any)? {
        if let value = object[inputKey] { return (inputKey, value) }
        if inputKey.contains(".") {
            var current: Any = object
            for component in inputKey.split(separator: ".", omittingEmptySubsequences: false) {
                guard let next = (current as? [String: Any])?[String(component)] else { return nil }
                current = next
            }
            return (inputKey, current)
        }
        guard inputKey == Self.defaultKey else { return nil }
        for key in Self.fallbackKeys {
            if let value = object[key] { return (key, value) }
        }
        return nil
    }

    private static func typeName(_ value: Any) -> String {
        switch value {
        case is NSNull: "null"
        case let number as NSNumber: String(cString: number.objCType) == "c" ? "a boolean" : "a number"
        case is String: "a string"
        case is [Any]: "an array"
        case is [String: Any]: "an object"
        default: "\(type(of: value))"
        }
    }

    private static func detail(of error: Error) -> String {
        let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
        return text.map { " (\($0))" } ?? ""
    }
}
