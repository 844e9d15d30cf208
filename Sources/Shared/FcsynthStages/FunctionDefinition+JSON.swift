import FcsynthCore

extension FunctionDefinition {
    /// The whole definition, `responses` included, as prompts embed it.
    package var json: JSONValue {
        .object([
            "name": .string(name), "description": .string(description),
            "parameters": parameters, "responses": responses,
        ])
    }
}
