import Foundation

/// Checks one input row and takes out its seed chat: a JSON object whose input field is a
/// non-empty string, within the size limit.
struct RowValidator {
    let inputKey: String
    let maxRowBytes: Int
    let layout: InputRecordReader.Layout

    func seed(of record: InputRecord) -> Result<String, RowRejection> {
        func reject(_ reason: String) -> Result<String, RowRejection> {
            .failure(RowRejection(line: record.line, element: layout == .jsonArray ? record.number : nil, reason: reason))
        }
        if let oversize = record.oversize {
            return reject("row is \(oversize) bytes, over the \(maxRowBytes)-byte limit (--max-row-bytes)")
        }
        guard String(validating: record.bytes, as: UTF8.self) != nil else {
            return reject("not valid UTF-8")
        }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(record.bytes), options: [.fragmentsAllowed])
        } catch {
            return reject("not valid JSON\(Self.detail(of: error))")
        }
        guard let object = parsed as? [String: Any] else {
            return reject("not a JSON object (found \(Self.typeName(parsed)))")
        }
        guard let value = object[inputKey] else {
            return reject("no \"\(inputKey)\" field (the input key; set it with --input-key)")
        }
        guard let seed = value as? String, !(value is NSNumber) else {
            return reject("\"\(inputKey)\" must be a string, not \(Self.typeName(value))")
        }
        guard !seed.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return reject("\"\(inputKey)\" is empty")
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
