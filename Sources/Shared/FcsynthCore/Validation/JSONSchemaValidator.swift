/// Validates values against the JSON Schema subset that function definitions use, and checks
/// that such schemas are well formed.
///
/// Supported keywords: `type` (a name or a list of names among string, number, integer, boolean,
/// object, array, null), `enum`, `anyOf`, `properties`, `required`, `additionalProperties` (a
/// boolean), `items`, `minimum`/`maximum`, `minItems`/`maxItems`, `minLength`/`maxLength`, and the
/// annotations `description`, `default` and `format` (not enforced).
///
/// Objects: a schema with `properties` describes a closed object, in which an undeclared key is a
/// violation unless `additionalProperties` is `true`; a schema without `properties` describes a
/// free-form object, open unless `additionalProperties` is `false`. So tool-call arguments may
/// carry only declared parameters, while a result's free-form payload stays free.
///
/// As in JSON Schema, the checks for a kind of value (`minLength`, `items`, `properties`...) apply
/// to every value of that kind, whether or not `type` is given.
public enum JSONSchemaValidator {
    /// Does `instance` satisfy `schema`? Assumes a schema that `checkSchema` accepts; keywords
    /// with malformed values are skipped rather than reported here.
    public static func validate(
        _ instance: JSONValue, against schema: JSONValue, at path: String = "$"
    ) -> [SchemaViolation] {
        var violations: [SchemaViolation] = []
        validate(instance, against: schema, at: path, into: &violations)
        return violations
    }

    package static func validate(
        _ instance: JSONValue, against schema: JSONValue, at path: String, into violations: inout [SchemaViolation]
    ) {
        guard case .object(let schema) = schema else {
            if schema != .bool(true) {
                violations.append(SchemaViolation(path: path, message: "no value is allowed here"))
            }
            return
        }
        if let types = SchemaType.declared(by: schema), !types.contains(where: { $0.admits(instance) }) {
            let expected = JSONRendering.alternatives(types.map(\.rawValue))
            violations.append(SchemaViolation(path: path, message: "expected \(expected), got \(instance.typeName)"))
            return
        }
        if case .array(let allowed) = schema["enum"], !allowed.contains(instance) {
            let listed = allowed.map(JSONRendering.render).joined(separator: ", ")
            violations.append(
                SchemaViolation(path: path, message: "expected one of \(listed), got \(JSONRendering.render(instance))")
            )
            return
        }
        if case .array(let alternatives) = schema["anyOf"], !alternatives.isEmpty {
            checkAnyOf(instance, alternatives, at: path, into: &violations)
        }
        switch instance {
        case .string(let string):
            checkLength(string, schema, at: path, into: &violations)
        case .number(let number):
            checkRange(number, schema, at: path, into: &violations)
        case .array(let elements):
            checkElements(elements, schema, at: path, into: &violations)
        case .object(let members):
            checkMembers(members, schema, at: path, into: &violations)
        case .null, .bool:
            break
        }
    }

    private static func checkAnyOf(
        _ instance: JSONValue, _ alternatives: [JSONValue], at path: String,
        into violations: inout [SchemaViolation]
    ) {
        var reasons: [String] = []
        for (index, alternative) in alternatives.enumerated() {
            let found = validate(instance, against: alternative, at: path)
            guard let first = found.first else { return }
            let reason = first.path == path ? first.message : "\(first.path): \(first.message)"
            reasons.append("(\(index + 1)) \(reason)")
        }
        violations.append(
            SchemaViolation(
                path: path, message: "matches none of the anyOf alternatives: " + reasons.joined(separator: "; ")))
    }

    private static func checkLength(
        _ string: String, _ schema: [String: JSONValue], at path: String,
        into violations: inout [SchemaViolation]
    ) {
        // JSON Schema counts code points, not grapheme clusters.
        let length = string.unicodeScalars.count
        if let minimum = schema["minLength"]?.numberValue, Double(length) < minimum {
            violations.append(
                SchemaViolation(
                    path: path, message: "expected at least \(counted(minimum, "character")), got \(length)"))
        }
        if let maximum = schema["maxLength"]?.numberValue, Double(length) > maximum {
            violations.append(
                SchemaViolation(path: path, message: "expected at most \(counted(maximum, "character")), got \(length)")
            )
        }
    }

    private static func checkRange(
        _ number: Double, _ schema: [String: JSONValue], at path: String,
        into violations: inout [SchemaViolation]
    ) {
        if let minimum = schema["minimum"]?.numberValue, number < minimum {
            violations.append(
                SchemaViolation(
                    path: path,
                    message: "expected a value >= \(JSONRendering.render(minimum)), got \(JSONRendering.render(number))"
                ))
        }
        if let maximum = schema["maximum"]?.numberValue, number > maximum {
            violations.append(
                SchemaViolation(
                    path: path,
                    message: "expected a value <= \(JSONRendering.render(maximum)), got \(JSONRendering.render(number))"
                ))
        }
    }

    private static func checkElements(
        _ elements: [JSONValue], _ schema: [String: JSONValue], at path: String,
        into violations: inout [SchemaViolation]
    ) {
        if let minimum = schema["minItems"]?.numberValue, Double(elements.count) < minimum {
            violations.append(
                SchemaViolation(
                    path: path, message: "expected at least \(counted(minimum, "item")), got \(elements.count)"))
        }
        if let maximum = schema["maxItems"]?.numberValue, Double(elements.count) > maximum {
            violations.append(
                SchemaViolation(
                    path: path, message: "expected at most \(counted(maximum, "item")), got \(elements.count)"))
        }
        if let items = schema["items"] {
            for (index, element) in elements.enumerated() {
                validate(element, against: items, at: JSONPath.index(path, index), into: &violations)
            }
        }
    }

    private static func checkMembers(
        _ members: [String: JSONValue], _ schema: [String: JSONValue], at path: String,
        into violations: inout [SchemaViolation]
    ) {
        let properties = schema["properties"]?.objectValue
        if case .array(let required) = schema["required"] {
            for case .string(let name) in required where members[name] == nil {
                violations.append(
                    SchemaViolation(path: JSONPath.member(path, name), message: "required property missing"))
            }
        }
        let closed =
            properties != nil
            ? schema["additionalProperties"] != .bool(true) : schema["additionalProperties"] == .bool(false)
        for (key, value) in members.sorted(by: { $0.key < $1.key }) {
            let memberPath = JSONPath.member(path, key)
            if let propertySchema = properties?[key] {
                validate(value, against: propertySchema, at: memberPath, into: &violations)
            } else if closed {
                violations.append(SchemaViolation(path: memberPath, message: "property not declared in the schema"))
            }
        }
    }

    private static func counted(_ count: Double, _ noun: String) -> String {
        "\(JSONRendering.render(count)) \(noun)\(count == 1 ? "" : "s")"
    }
}
