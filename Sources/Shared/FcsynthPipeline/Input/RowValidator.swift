import FcsynthCore
import Foundation

/// Checks one input row and takes out its seed chat: a JSON object whose input field is a
/// non-empty string, within the size limit.
package struct RowValidator {
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
        guard let value = object[inputKey] else {
            return .failure(Reason(text: "no \"\(inputKey)\" field (the input key; set it with --input-key)"))
        }
        guard let seed = value as? String, !(value is NSNumber) else {
            return .failure(Reason(text: "\"\(inputKey)\" must be a string, not \(Self.typeName(value))"))
        }
        return .success(seed)
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
