/// How catalog functions can be composed, read from their schemas alone, as a tool graph:
/// a function feeds another when one of its results has the name and type of the other's
/// parameter.
extension ToolCatalog {
    /// The functions that can take `name`'s output as input, with the parameter that links them.
    public func successors(of name: String) -> [(function: FunctionDefinition, through: String)] {
        guard let source = function(named: name) else { return [] }
        let outputs = Self.outputs(of: source)
        return functions.compactMap { candidate in
            guard candidate.name != name else { return nil }
            let inputs = Self.inputs(of: candidate)
            let linked = inputs.keys.sorted().first { key in
                outputs[key].map { Self.sameType($0, inputs[key]!) } ?? false
            }
            return linked.map { (candidate, $0) }
        }
    }

    /// The other functions that take a required parameter of `name`'s, by name and type: they
    /// act on the same kind of input, so that one request can ask for both side by side.
    public func siblings(of name: String) -> [FunctionDefinition] {
        guard let source = function(named: name) else { return [] }
        let required = Self.requiredInputs(of: source)
        return functions.filter { candidate in
            guard candidate.name != name else { return false }
            let theirs = Self.requiredInputs(of: candidate)
            return required.contains { key, schema in theirs[key].map { Self.sameType(schema, $0) } ?? false }
        }
    }

    /// A function's results by name, those it always returns: the required properties of
    /// `responses`, and those of the objects a required top-level array lists (a search
    /// returning `flights: [{flight_id, …}]`).
    package static func outputs(of function: FunctionDefinition) -> [String: JSONValue] {
        var outputs: [String: JSONValue] = [:]
        for (key, schema) in required(of: function.responses) {
            outputs[key] = schema
            for (inner, innerSchema) in required(of: schema["items"] ?? .null) where outputs[inner] == nil {
                outputs[inner] = innerSchema
            }
        }
        return outputs
    }

    private static func required(of schema: JSONValue) -> [String: JSONValue] {
        let names = Set(schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        return (schema["properties"]?.objectValue ?? [:]).filter { names.contains($0.key) }
    }

    package static func inputs(of function: FunctionDefinition) -> [String: JSONValue] {
        function.parameters["properties"]?.objectValue ?? [:]
    }

    private static func requiredInputs(of function: FunctionDefinition) -> [String: JSONValue] {
        required(of: function.parameters)
    }

    /// Integer and number are one kind here: an integer result feeds a number parameter. A
    /// parameter with fixed choices takes only a result whose choices are among them.
    private static func sameType(_ output: JSONValue, _ input: JSONValue) -> Bool {
        func kind(_ schema: JSONValue) -> String? {
            let type = schema["type"]?.stringValue
            return type == "integer" ? "number" : type
        }
        guard kind(output) != nil, kind(output) == kind(input) else { return false }
        guard let allowed = input["enum"]?.arrayValue else { return true }
        guard let given = output["enum"]?.arrayValue else { return false }
        return given.allSatisfy(allowed.contains)
    }
}
