/// Checks the functions the function generator wrote for an item's sub-tasks.
public enum FunctionValidator {
    /// Names are identifiers ([A-Za-z_][A-Za-z0-9_]{0,63}) and unique within the item; parameters and responses are
    /// JSON Schema objects (type "object") of the supported subset; `required` lists only declared properties; description non-empty.
    /// `parameters` must also have `properties` (empty for a function without parameters), which makes
    /// tool-call arguments a closed object (see `JSONSchemaValidator`).
    /// Paths read `$.sub_tasks[0].functions[1].name`.
    public static func validate(_ subTasks: [SubTask]) -> [SchemaViolation] {
        var declared: [String: String] = [:]
        var violations: [SchemaViolation] = []
        for (taskIndex, subTask) in subTasks.enumerated() {
            let functionsPath = JSONPath.member(JSONPath.index("$.sub_tasks", taskIndex), "functions")
            validate(subTask.functions, at: functionsPath, declared: &declared, into: &violations)
        }
        return violations
    }

    /// The same checks on one list of functions, such as a finished record's, at `path`.
    public static func validate(functions: [FunctionDefinition], at path: String = "$.functions") -> [SchemaViolation] {
        var declared: [String: String] = [:]
        var violations: [SchemaViolation] = []
        validate(functions, at: path, declared: &declared, into: &violations)
        return violations
    }

    /// `declared` maps each name seen so far to where it was declared, for the duplicate message.
    private static func validate(
        _ functions: [FunctionDefinition], at path: String, declared: inout [String: String],
        into violations: inout [SchemaViolation]
    ) {
        for (index, function) in functions.enumerated() {
            let functionPath = JSONPath.index(path, index)
            let namePath = JSONPath.member(functionPath, "name")
            if !isValidName(function.name) {
                violations.append(
                    SchemaViolation(
                        path: namePath,
                        message:
                            "\(JSONRendering.render(.string(function.name))) is not a valid function name; use up to 64 letters, digits and underscores, not starting with a digit"
                    ))
            } else if let first = declared[function.name] {
                violations.append(
                    SchemaViolation(
                        path: namePath,
                        message:
                            "function \(JSONRendering.render(.string(function.name))) is already declared at \(first); declare each function once"
                    ))
            } else {
                declared[function.name] = functionPath
            }
            if function.description.allSatisfy(\.isWhitespace) {
                violations.append(
                    SchemaViolation(path: JSONPath.member(functionPath, "description"), message: "must not be empty"))
            }
            checkObjectSchema(
                function.parameters, at: JSONPath.member(functionPath, "parameters"), needsProperties: true,
                into: &violations)
            checkObjectSchema(
                function.responses, at: JSONPath.member(functionPath, "responses"), needsProperties: false,
                into: &violations)
        }
    }

    private static func checkObjectSchema(
        _ schema: JSONValue, at path: String, needsProperties: Bool,
        into violations: inout [SchemaViolation]
    ) {
        guard case .object(let keywords) = schema else {
            let found = schema == .null ? "missing" : "got \(schema.typeName)"
            violations.append(
                SchemaViolation(
                    path: path, message: "\(found); expected a JSON Schema object with \"type\": \"object\""))
            return
        }
        violations += JSONSchemaValidator.checkSchema(schema, at: path)
        if keywords["type"] != .string("object") {
            violations.append(SchemaViolation(path: JSONPath.member(path, "type"), message: "expected \"object\""))
        }
        if needsProperties, keywords["properties"] == nil {
            violations.append(
                SchemaViolation(
                    path: JSONPath.member(path, "properties"),
                    message: "missing; use {} for a function without parameters"))
        }
    }

    private static func isValidName(_ name: String) -> Bool {
        name.utf8.count <= 64 && JSONPath.isIdentifier(name)
    }
}
