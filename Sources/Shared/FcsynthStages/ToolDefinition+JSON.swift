import FcsynthCore

extension ToolDefinition {
    /// The tool as OpenAI's `tools` array lists it, the same JSON its `Encodable` conformance writes.
    package var json: JSONValue {
        .object([
            "type": .string(type),
            "function": .object([
                "name": .string(function.name), "description": .string(function.description),
                "parameters": function.parameters,
            ]),
        ])
    }
}
