/// The kinds of error a function returns instead of its result, when a run asks for some
/// (`tool_error_rate`), so that the data shows an assistant recovering from a failed call.
/// A tool message holds one as `{"error": {"code": KIND, "message": "…"}}`.
public enum ToolErrorKind: String, Codable, Sendable, CaseIterable, Hashable {
    case notFound = "not_found"
    case invalidInput = "invalid_input"

    /// What went wrong, as the tool agent is told it.
    public var meaning: String {
        switch self {
        case .notFound: "nothing matches the arguments: the thing they name does not exist or is not available"
        case .invalidInput: "an argument value is not accepted: it is malformed, out of range or not allowed here"
        }
    }

    /// The shape of an error result; the validator holds a failed call's result to it instead of
    /// the function's `responses`.
    public static let resultSchema: JSONValue = .object([
        "type": .string("object"),
        "properties": .object([
            "error": .object([
                "type": .string("object"),
                "properties": .object([
                    "code": .object(["type": .string("string"), "enum": .array(allCases.map { .string($0.rawValue) })]),
                    "message": .object(["type": .string("string"), "minLength": .number(1)]),
                ]),
                "required": .array([.string("code"), .string("message")]),
                "additionalProperties": .bool(false),
            ])
        ]),
        "required": .array([.string("error")]),
        "additionalProperties": .bool(false),
    ])
}
