import FcsynthCore

/// The shape of each call's reply as a JSON Schema: sent to endpoints that constrain their
/// output to it (`--response-format json_schema`), and listed in docs/stages.md. The parsers
/// check more than a schema says (word counts, a numbered plan, valid calls), so these give
/// the shape only, and every stage asks with one.
package enum ReplySchema {
    package static let scenario = object(["scenario": string])
    package static let scenarios = object(["scenarios": strings])
    package static let atomTasks = object(["atom_tasks": strings])
    package static let sequentialComposition = object(["subsequent_task": string, "composition_task": string])
    package static let parallelComposition = object([
        "parallel_task": string, "subsequent_task": string, "composition_task": string,
    ])
    package static let feasibility = object(["analysis": string, "feasible": .object(["type": .string("boolean")])])
    package static let functionDesign = object([
        "sub_tasks": .object([
            "type": .string("array"),
            "items": object([
                "sub_task": string,
                "functions": .object([
                    "type": .string("array"),
                    "items": object([
                        "name": string, "description": string, "parameters": anyObject, "responses": anyObject,
                    ]),
                ]),
            ]),
        ])
    ])
    package static let functionSelection = object([
        "sub_tasks": .object(["type": .string("array"), "items": object(["sub_task": string, "functions": strings])])
    ])
    package static let userMessage = object(["message": string])
    package static let judgement = object(
        Dictionary(
            uniqueKeysWithValues: JudgeCriterion.allCases.map {
                (
                    $0.rawValue,
                    object([
                        "score": .object([
                            "type": .string("integer"), "minimum": .number(1), "maximum": .number(5),
                        ]),
                        "reason": string,
                    ])
                )
            }))

    /// A thought with exactly one action: calls of the declared functions, a question, or the answer.
    package static func assistantTurn(functions: [FunctionDefinition]) -> JSONValue {
        let names = JSONValue.object(["type": .string("string"), "enum": .array(functions.map { .string($0.name) })])
        let calls = JSONValue.object([
            "type": .string("array"),
            "items": object(["name": names, "arguments": anyObject]),
        ])
        return .object([
            "anyOf": .array([
                object(["thought": string, "tool_calls": calls]),
                object(["thought": string, "ask_user": string]),
                object(["thought": string, "final": string]),
            ])
        ])
    }

    /// The function's own `responses` schema, under `result`.
    package static func toolResult(_ function: FunctionDefinition) -> JSONValue {
        object(["result": function.responses])
    }

    private static let string = JSONValue.object(["type": .string("string")])
    private static let strings = JSONValue.object(["type": .string("array"), "items": string])
    private static let anyObject = JSONValue.object(["type": .string("object")])

    /// An object with exactly these properties, all required.
    package static func object(_ properties: [String: JSONValue]) -> JSONValue {
        .object([
            "type": .string("object"),
            "properties": .object(properties),
            "required": .array(properties.keys.sorted().map { .string($0) }),
            "additionalProperties": .bool(false),
        ])
    }
}
