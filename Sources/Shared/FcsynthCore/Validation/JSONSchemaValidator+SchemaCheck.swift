extension JSONSchemaValidator {
    /// Keywords accepted and ignored: annotations that change nothing a validator of this subset checks.
    package static let ignorableKeywords: Set<String> = [
        "title", "examples", "example", "pattern", "$schema", "$id", "$comment", "deprecated", "readOnly", "writeOnly",
    ]

    /// Keywords that may stand beside `anyOf`: the alternatives carry all the constraints.
    package static let annotationKeywords: Set<String> = ignorableKeywords.union(["description", "default", "format"])

    /// Is `schema` a well-formed schema of the supported subset? Strict about structure (what a
    /// keyword holds, which properties `required` names, satisfiable bounds), lenient about annotations.
    /// `anyOf` may be combined only with annotations, so every alternative stands on its own.
    public static func checkSchema(_ schema: JSONValue, at path: String) -> [SchemaViolation] {
        var violations: [SchemaViolation] = []
        checkSchema(schema, at: path, into: &violations)
        return violations
    }

    private static func checkSchema(_ schema: JSONValue, at path: String, into violations: inout [SchemaViolation]) {
        guard case .object(let keywords) = schema else {
            violations.append(SchemaViolation(path: path, message: "expected a schema object, got \(schema.typeName)"))
            return
        }
        for (keyword, value) in keywords.sorted(by: { $0.key < $1.key }) {
            let keywordPath = JSONPath.member(path, keyword)
            switch keyword {
            case "type": checkType(value, at: keywordPath, into: &violations)
            case "enum": checkEnum(value, keywords, at: keywordPath, into: &violations)
            case "anyOf": checkAnyOf(value, keywords, at: keywordPath, into: &violations)
            case "properties": checkProperties(value, at: keywordPath, into: &violations)
            case "required": checkRequired(value, keywords, at: keywordPath, into: &violations)
            case "items": checkSchema(value, at: keywordPath, into: &violations)
            case "additionalProperties":
                if value.boolValue == nil {
                    violations.append(
                        SchemaViolation(path: keywordPath, message: "expected true or false, got \(value.typeName)"))
                }
            case "description", "format":
                if value.stringValue == nil {
                    violations.append(
                        SchemaViolation(path: keywordPath, message: "expected a string, got \(value.typeName)"))
                }
            case "minimum", "maximum":
                if value.numberValue == nil {
                    violations.append(
                        SchemaViolation(path: keywordPath, message: "expected a number, got \(value.typeName)"))
                }
            case "minItems", "maxItems", "minLength", "maxLength":
                if !isCount(value) {
                    violations.append(
                        SchemaViolation(
                            path: keywordPath,
                            message: "expected a non-negative integer, got \(JSONRendering.render(value))"))
                }
            case "default":
                break
            default:
                if !ignorableKeywords.contains(keyword) {
                    violations.append(SchemaViolation(path: keywordPath, message: "unsupported schema keyword"))
                }
            }
        }
        checkBounds(keywords, at: path, into: &violations)
    }

    private static func checkType(_ value: JSONValue, at path: String, into violations: inout [SchemaViolation]) {
        let allowed = SchemaType.allCases.map(\.rawValue).joined(separator: ", ")
        func checkName(_ name: JSONValue, at path: String) {
            guard case .string(let name) = name else {
                violations.append(SchemaViolation(path: path, message: "expected a type name, got \(name.typeName)"))
                return
            }
            if SchemaType(rawValue: name) == nil {
                violations.append(
                    SchemaViolation(
                        path: path,
                        message: "unknown type \(JSONRendering.render(.string(name))); expected one of \(allowed)"))
            }
        }
        switch value {
        case .string:
            checkName(value, at: path)
        case .array(let names):
            if names.isEmpty {
                violations.append(SchemaViolation(path: path, message: "expected at least one type name"))
            }
            for (index, name) in names.enumerated() {
                checkName(name, at: JSONPath.index(path, index))
                if names[..<index].contains(name) {
                    violations.append(
                        SchemaViolation(
                            path: JSONPath.index(path, index), message: "duplicate type \(JSONRendering.render(name))"))
                }
            }
        default:
            violations.append(
                SchemaViolation(
                    path: path, message: "expected a type name or a list of type names, got \(value.typeName)"))
        }
    }

    /// Every listed value must be of a declared type, or no value could satisfy the schema.
    private static func checkEnum(
        _ value: JSONValue, _ keywords: [String: JSONValue], at path: String,
        into violations: inout [SchemaViolation]
    ) {
        guard case .array(let values) = value, !values.isEmpty else {
            violations.append(SchemaViolation(path: path, message: "expected a non-empty array of allowed values"))
            return
        }
        guard let types = SchemaType.declared(by: keywords) else { return }
        for (index, element) in values.enumerated() where !types.contains(where: { $0.admits(element) }) {
            let expected = JSONRendering.alternatives(types.map(\.rawValue))
            violations.append(
                SchemaViolation(
                    path: JSONPath.index(path, index),
                    message: "value \(JSONRendering.render(element)) is not of the declared type \(expected)"))
        }
    }

    private static func checkAnyOf(
        _ value: JSONValue, _ keywords: [String: JSONValue], at path: String,
        into violations: inout [SchemaViolation]
    ) {
        guard case .array(let alternatives) = value, !alternatives.isEmpty else {
            violations.append(SchemaViolation(path: path, message: "expected a non-empty array of schemas"))
            return
        }
        let constraints = keywords.keys.filter { $0 != "anyOf" && !annotationKeywords.contains($0) }.sorted()
        if !constraints.isEmpty {
            violations.append(
                SchemaViolation(
                    path: path,
                    message:
                        "cannot be combined with \(JSONRendering.alternatives(constraints)); move those keywords into each alternative"
                ))
        }
        for (index, alternative) in alternatives.enumerated() {
            checkSchema(alternative, at: JSONPath.index(path, index), into: &violations)
        }
    }

    private static func checkProperties(_ value: JSONValue, at path: String, into violations: inout [SchemaViolation]) {
        guard case .object(let properties) = value else {
            violations.append(
                SchemaViolation(
                    path: path, message: "expected an object mapping property names to schemas, got \(value.typeName)"))
            return
        }
        for (name, schema) in properties.sorted(by: { $0.key < $1.key }) {
            checkSchema(schema, at: JSONPath.member(path, name), into: &violations)
        }
    }

    private static func checkRequired(
        _ value: JSONValue, _ keywords: [String: JSONValue], at path: String,
        into violations: inout [SchemaViolation]
    ) {
        guard case .array(let names) = value else {
            violations.append(
                SchemaViolation(path: path, message: "expected an array of property names, got \(value.typeName)"))
            return
        }
        let declared = keywords["properties"]?.objectValue ?? [:]
        for (index, name) in names.enumerated() {
            let elementPath = JSONPath.index(path, index)
            guard case .string(let key) = name else {
                violations.append(
                    SchemaViolation(path: elementPath, message: "expected a property name, got \(name.typeName)"))
                continue
            }
            if declared[key] == nil {
                violations.append(
                    SchemaViolation(
                        path: elementPath, message: "\(JSONRendering.render(name)) is not a declared property"))
            } else if names[..<index].contains(name) {
                violations.append(
                    SchemaViolation(path: elementPath, message: "\(JSONRendering.render(name)) is listed twice"))
            }
        }
    }

    private static func checkBounds(
        _ keywords: [String: JSONValue], at path: String, into violations: inout [SchemaViolation]
    ) {
        for (low, high) in [("minimum", "maximum"), ("minItems", "maxItems"), ("minLength", "maxLength")] {
            if let lower = keywords[low]?.numberValue, let upper = keywords[high]?.numberValue, lower > upper {
                violations.append(
                    SchemaViolation(
                        path: path,
                        message:
                            "\(low) \(JSONRendering.render(lower)) is greater than \(high) \(JSONRendering.render(upper))"
                    ))
            }
        }
        if SchemaType.declared(by: keywords) == [.integer],
            let lower = keywords["minimum"]?.numberValue, let upper = keywords["maximum"]?.numberValue,
            lower <= upper, lower.rounded(.up) > upper.rounded(.down)
        {
            violations.append(
                SchemaViolation(
                    path: path,
                    message:
                        "no integer lies between minimum \(JSONRendering.render(lower)) and maximum \(JSONRendering.render(upper))"
                ))
        }
    }

    private static func isCount(_ value: JSONValue) -> Bool {
        guard case .number(let number) = value else { return false }
        return number >= 0 && number.rounded() == number
    }
}
