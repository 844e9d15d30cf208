import FcsynthCore

/// Shape checks on a reply object. Each accessor throws a `ReplyProblem` that names the key
/// and what was expected, so that a correction round can tell the model exactly what to fix.
package struct ReplyObject {
    package let fields: [String: JSONValue]
    /// Where this object sits in the reply, for error messages: `reply`, `tool_calls[1]`.
    package let path: String

    package init(_ value: JSONValue, path: String = "reply") throws(ReplyProblem) {
        guard let fields = value.objectValue else {
            throw ReplyProblem("\(path) must be a JSON object, not \(value.typeName)")
        }
        self.fields = fields
        self.path = path
    }

    package func has(_ key: String) -> Bool {
        fields[key] != nil && fields[key] != .null
    }

    package func value(_ key: String) throws(ReplyProblem) -> JSONValue {
        guard let value = fields[key], value != .null else {
            throw ReplyProblem("\(path) lacks the key \"\(key)\"")
        }
        return value
    }

    /// A string with something in it besides whitespace, trimmed.
    package func string(_ key: String) throws(ReplyProblem) -> String {
        let value = try value(key)
        guard let text = value.stringValue else {
            throw ReplyProblem("\"\(key)\" in \(path) must be a string, not \(value.typeName)")
        }
        let trimmed = text.trimmed
        guard !trimmed.isEmpty else { throw ReplyProblem("\"\(key)\" in \(path) is empty") }
        return trimmed
    }

    package func bool(_ key: String) throws(ReplyProblem) -> Bool {
        let value = try value(key)
        guard let flag = value.boolValue else {
            throw ReplyProblem("\"\(key)\" in \(path) must be true or false, not \(value.typeName)")
        }
        return flag
    }

    /// An array, non-empty unless `allowEmpty`.
    package func array(_ key: String, allowEmpty: Bool = false) throws(ReplyProblem) -> [JSONValue] {
        let value = try value(key)
        guard let elements = value.arrayValue else {
            throw ReplyProblem("\"\(key)\" in \(path) must be an array, not \(value.typeName)")
        }
        guard allowEmpty || !elements.isEmpty else { throw ReplyProblem("\"\(key)\" in \(path) is an empty array") }
        return elements
    }

    /// A non-empty array of non-empty strings, trimmed.
    package func strings(_ key: String) throws(ReplyProblem) -> [String] {
        var result: [String] = []
        for (index, element) in try array(key).enumerated() {
            guard let text = element.stringValue?.trimmed, !text.isEmpty else {
                throw ReplyProblem("\(key)[\(index)] in \(path) must be a non-empty string")
            }
            result.append(text)
        }
        return result
    }

    /// An array of objects, non-empty unless `allowEmpty`.
    package func objects(_ key: String, allowEmpty: Bool = false) throws(ReplyProblem) -> [ReplyObject] {
        var result: [ReplyObject] = []
        for (index, element) in try array(key, allowEmpty: allowEmpty).enumerated() {
            result.append(
                try ReplyObject(element, path: path == "reply" ? "\(key)[\(index)]" : "\(path).\(key)[\(index)]"))
        }
        return result
    }
}

extension String {
    package var trimmed: String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view.removeFirst() }
        while let last = view.last, last.isWhitespace { view.removeLast() }
        return String(view)
    }

    package var wordCount: Int {
        split(whereSeparator: { $0.isWhitespace }).count
    }
}
