import FcsynthCore

/// Keeps one export file loadable by columnar readers (Arrow, behind Hugging Face `datasets`),
/// which give every path of a JSON Lines file one type: a field that is a number on one line and
/// a string on another is refused. fcsynth's own fields keep their types; what may vary is the
/// function schemas, written as objects in `openai` (`tools`) and `raw` (`tools`, `functions`),
/// where two functions may give the same parameter name different types.
///
/// The tracker remembers the JSON type written at each schema path of the file (array elements
/// share their array's path, as they share Arrow's list type) and rewrites only a value that
/// would contradict it, into the schema's own vocabulary, so that the schema still says what it
/// said. A `type` name where a list was written becomes the one-element list; a `type` list
/// where a name was written becomes `anyOf` with one alternative per type; any other keyword's
/// value (`default`, `enum`, `examples`, …) moves into the schema's `description`
/// (`Default: 1.`). Each rewrite is counted by kind, for the export's metadata. The state is
/// saved with a following export's progress, so that a resumed file stays consistent.
public struct SchemaLayoutTracker: Codable, Sendable, Hashable {
    /// The JSON types Arrow tells apart; null fits any of them.
    package enum Kind: String, Codable, Sendable {
        case boolean, number, string, array, object
    }

    /// The type written at each path so far.
    package private(set) var kinds: [String: Kind] = [:]
    /// Rewrites made, by kind: `type_listed`, `type_as_any_of`, `KEYWORD_in_description`.
    public private(set) var rewrites: [String: Int] = [:]

    /// Schemas already written unchanged at a path: most lines repeat functions the file holds
    /// (shared and distractor functions), which then cost one lookup. Not saved: it only saves work.
    private var unchanged: Set<Written> = []

    private struct Written: Hashable, Sendable {
        var path: String
        var schema: JSONValue
    }

    package enum CodingKeys: String, CodingKey {
        case kinds, rewrites
    }

    public init() {}

    /// The record with its function schemas fitted to this file: `tools` for `openai`, `tools`
    /// and `functions` for `raw` (the layouts that write schemas as objects); otherwise unchanged.
    public mutating func fitted(_ record: ConversationRecord, for format: ExportFormat) -> ConversationRecord {
        guard format == .openai || format == .raw else { return record }
        var record = record
        for index in record.tools.indices {
            record.tools[index].function.parameters = fitted(
                record.tools[index].function.parameters, at: "tools[].function.parameters")
        }
        guard format == .raw else { return record }
        for index in record.functions.indices {
            record.functions[index].parameters = fitted(
                record.functions[index].parameters, at: "functions[].parameters")
            record.functions[index].responses = fitted(
                record.functions[index].responses, at: "functions[].responses")
        }
        return record
    }

    /// `schema`, fitted to what was written at `path`, and recorded there.
    package mutating func fitted(_ schema: JSONValue, at path: String) -> JSONValue {
        let written = Written(path: path, schema: schema)
        if unchanged.contains(written) { return schema }
        guard conflicts(schema, at: path) else {
            unchanged.insert(written)
            return recorded(schema, at: path)
        }
        return rewritten(schema, at: path)
    }

    /// The keyword-by-keyword rewrite of a schema that contradicts the file somewhere.
    private mutating func rewritten(_ schema: JSONValue, at path: String) -> JSONValue {
        guard case .object(var keywords) = schema else { return recorded(schema, at: path) }
        let typePath = Self.member(path, "type")
        if let type = keywords["type"], conflicts(type, at: typePath) {
            switch type {
            case .string:
                keywords["type"] = .array([type])
                rewrites["type_listed", default: 0] += 1
            case .array(let names) where keywords["anyOf"] == nil:
                keywords = Self.alternatives(keywords, names)
                rewrites["type_as_any_of", default: 0] += 1
            default:
                Self.describe("type", type, in: &keywords)
                rewrites["type_in_description", default: 0] += 1
            }
        }
        for keyword in keywords.keys.sorted() where keyword != "description" {
            guard let value = keywords[keyword] else { continue }
            let keywordPath = Self.member(path, keyword)
            switch (keyword, value) {
            case ("properties", .object(var properties)):
                _ = recorded(.object([:]), at: keywordPath)
                for name in properties.keys.sorted() {
                    properties[name] = fitted(properties[name] ?? .null, at: Self.member(keywordPath, name))
                }
                keywords[keyword] = .object(properties)
            case ("items", .object):
                keywords[keyword] = fitted(value, at: keywordPath)
            case ("anyOf", .array(let alternatives)) where !conflicts(.array([]), at: keywordPath):
                _ = recorded(.array([]), at: keywordPath)
                keywords[keyword] = .array(alternatives.map { fitted($0, at: keywordPath + "[]") })
            default:
                if conflicts(value, at: keywordPath) {
                    Self.describe(keyword, value, in: &keywords)
                    rewrites["\(keyword)_in_description", default: 0] += 1
                } else {
                    _ = recorded(value, at: keywordPath)
                }
            }
        }
        if let description = keywords["description"] {
            let descriptionPath = Self.member(path, "description")
            if conflicts(description, at: descriptionPath) {
                keywords["description"] = .string(JSONRendering.render(description))
                rewrites["description_as_text", default: 0] += 1
            }
            _ = recorded(keywords["description"] ?? .null, at: descriptionPath)
        }
        return recorded(.object(keywords), at: path, deep: false)
    }

    /// Whether writing `value` at `path` would give some path a second type, within `value`
    /// itself (a list of a string and a number) or against what was written before.
    package func conflicts(_ value: JSONValue, at path: String) -> Bool {
        var pending: [String: Kind] = [:]
        return conflicts(value, at: path, &pending)
    }

    private func conflicts(_ value: JSONValue, at path: String, _ pending: inout [String: Kind]) -> Bool {
        guard let kind = Self.kind(of: value) else { return false }
        if let written = kinds[path] ?? pending[path] {
            if written != kind { return true }
        } else {
            pending[path] = kind
        }
        switch value {
        case .array(let elements):
            return elements.contains { conflicts($0, at: path + "[]", &pending) }
        case .object(let members):
            return members.contains { conflicts($0.value, at: Self.member(path, $0.key), &pending) }
        default:
            return false
        }
    }

    /// Records the types of `value` (and, when `deep`, of everything in it) at `path`.
    private mutating func recorded(_ value: JSONValue, at path: String, deep: Bool = true) -> JSONValue {
        guard let kind = Self.kind(of: value) else { return value }
        if kinds[path] == nil { kinds[path] = kind }
        guard deep else { return value }
        switch value {
        case .array(let elements):
            for element in elements { _ = recorded(element, at: path + "[]") }
        case .object(let members):
            for (key, member) in members { _ = recorded(member, at: Self.member(path, key)) }
        default:
            break
        }
        return value
    }

    private static func kind(of value: JSONValue) -> Kind? {
        switch value {
        case .null: nil
        case .bool: .boolean
        case .number: .number
        case .string: .string
        case .array: .array
        case .object: .object
        }
    }

    /// A separator no key holds, so that `a.b` as one key and `b` under `a` stay apart.
    private static func member(_ path: String, _ key: String) -> String {
        path + "\u{1F}" + key
    }

    /// Moves `keyword` out of the schema into its description, as a sentence.
    private static func describe(_ keyword: String, _ value: JSONValue, in keywords: inout [String: JSONValue]) {
        keywords[keyword] = nil
        let label =
            switch keyword {
            case "default": "Default"
            case "enum": "One of"
            case "const": "Always"
            case "examples": "Examples"
            default: keyword
            }
        let sentence = "\(label): \(JSONRendering.render(value))."
        let description = keywords["description"]?.stringValue ?? ""
        keywords["description"] = .string(description.isEmpty ? sentence : description + " " + sentence)
    }

    /// `{"type": [A, B], …}` as `{"anyOf": [{"type": A, …}, {"type": B, …}]}`: each alternative
    /// holds the constraints, filtered to what its type admits (an `enum` keeps its members of
    /// that type, and an alternative none of whose members fit is left out); annotations stay
    /// outside. The validator of fcsynth's subset accepts only annotations beside `anyOf`.
    private static func alternatives(_ keywords: [String: JSONValue], _ names: [JSONValue]) -> [String: JSONValue] {
        var outside = keywords.filter { JSONSchemaValidator.annotationKeywords.contains($0.key) }
        let constraints = keywords.filter {
            !JSONSchemaValidator.annotationKeywords.contains($0.key) && $0.key != "type"
        }
        var alternatives: [JSONValue] = []
        for name in names {
            var alternative = constraints
            alternative["type"] = name
            if case .array(let members) = constraints["enum"], let type = name.stringValue.flatMap(SchemaType.init) {
                let kept = members.filter { type.admits($0) }
                if kept.isEmpty { continue }
                alternative["enum"] = .array(kept)
            }
            alternatives.append(.object(alternative))
        }
        outside["anyOf"] = .array(alternatives)
        return outside
    }
}
