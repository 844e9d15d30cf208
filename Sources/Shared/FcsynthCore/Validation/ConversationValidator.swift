/// The last check on a conversation before it is written out, and the per-call check the
/// conversation stage runs on each assistant turn.
public enum ConversationValidator {
    /// Whole-record check. The dialogue is: the system message, a non-empty user message, then
    /// assistant, tool and further user turns, ending on the final answer (an assistant message with
    /// content and no tool calls). Each assistant message with tool calls is followed at once by
    /// exactly one tool message per call, in any order; call ids are unique across the record.
    /// Calls name declared functions with arguments that satisfy their `parameters`; results satisfy
    /// the function's `responses` (or, for a call in `lineage.tool_errors`, the error shape). `tools` lists the same functions as `functions`, which must pass
    /// `FunctionValidator`.
    public static func validate(_ record: ConversationRecord) -> [SchemaViolation] {
        var violations = FunctionValidator.validate(functions: record.functions)
        violations += checkTools(record.tools, against: record.functions)
        violations += checkDialogue(
            record.messages, functions: record.functions, failedCalls: Set(record.lineage.toolErrors ?? []))
        return violations
    }

    /// One assistant tool call against the declared functions: function declared, arguments a JSON object
    /// that validates against `parameters`. Paths read `$.name` and `$.arguments.city`.
    public static func validateCall(
        name: String, arguments: JSONValue, functions: [FunctionDefinition]
    ) -> [SchemaViolation] {
        validateCall(
            name: name, arguments: arguments, functions: functions, namePath: "$.name", argumentsPath: "$.arguments")
    }

    package static func validateCall(
        name: String, arguments: JSONValue, functions: [FunctionDefinition],
        namePath: String, argumentsPath: String
    ) -> [SchemaViolation] {
        guard let function = functions.first(where: { $0.name == name }) else {
            let names = functions.map(\.name).joined(separator: ", ")
            return [
                SchemaViolation(
                    path: namePath,
                    message:
                        "function \(JSONRendering.render(.string(name))) is not declared; declared functions: \(names)")
            ]
        }
        guard case .object = arguments else {
            return [SchemaViolation(path: argumentsPath, message: "expected a JSON object, got \(arguments.typeName)")]
        }
        return JSONSchemaValidator.validate(arguments, against: function.parameters, at: argumentsPath)
    }

    private static func checkTools(
        _ tools: [ToolDefinition], against functions: [FunctionDefinition]
    ) -> [SchemaViolation] {
        var violations: [SchemaViolation] = []
        for (index, tool) in tools.enumerated() {
            let toolPath = JSONPath.index("$.tools", index)
            if tool.type != "function" {
                violations.append(
                    SchemaViolation(
                        path: JSONPath.member(toolPath, "type"),
                        message: "expected \"function\", got \(JSONRendering.render(.string(tool.type)))"))
            }
            guard let function = functions.first(where: { $0.name == tool.function.name }) else {
                violations.append(
                    SchemaViolation(
                        path: JSONPath.member(JSONPath.member(toolPath, "function"), "name"),
                        message:
                            "\(JSONRendering.render(.string(tool.function.name))) is not among the declared functions"))
                continue
            }
            if tool.function.description != function.description || tool.function.parameters != function.parameters {
                violations.append(
                    SchemaViolation(
                        path: JSONPath.member(toolPath, "function"),
                        message: "description or parameters differ from the declared function's"))
            }
        }
        let listed = Set(tools.map(\.function.name))
        for (index, function) in functions.enumerated() where !listed.contains(function.name) {
            violations.append(
                SchemaViolation(
                    path: JSONPath.index("$.functions", index),
                    message: "function \(JSONRendering.render(.string(function.name))) is missing from tools"))
        }
        if Set(tools.map(\.function.name)).count != tools.count {
            violations.append(SchemaViolation(path: "$.tools", message: "lists a function more than once"))
        }
        return violations
    }
}
