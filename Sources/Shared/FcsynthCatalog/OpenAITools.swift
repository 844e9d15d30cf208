import FcsynthCore

/// Entries of OpenAI's `tools` form: `{"type": "function", "function": {name, description,
/// parameters}}`, or the bare function object. `responses` (what the function returns, which
/// the tool agent needs) is fcsynth's addition; without it any object may come back.
enum OpenAITools {
    static let openResponses: JSONValue = .object([
        "type": .string("object"), "description": .string("What the function returns"),
    ])

    static func entry(_ value: JSONValue, at path: String) -> CatalogEntry {
        guard case .object(let fields) = value else {
            return .problem(CatalogProblem(path: path, message: "expected a tool object, got \(value.typeName)"))
        }
        if let type = fields["type"]?.stringValue, type != "function" {
            return .problem(CatalogProblem(path: path, message: "tool type \"\(type)\" is not a function"))
        }
        let function = fields["function"] ?? value
        guard let name = function["name"]?.stringValue, !name.isEmpty else {
            return .problem(CatalogProblem(path: path, message: "the function has no name"))
        }
        guard let description = function["description"]?.stringValue, !description.isEmpty else {
            return .problem(CatalogProblem(path: path, message: "function \"\(name)\" has no description"))
        }
        let parameters = function["parameters"] ?? .object(["type": .string("object"), "properties": .object([:])])
        return .function(
            FunctionDefinition(
                name: name, description: description, parameters: parameters,
                responses: function["responses"] ?? openResponses),
            path: path)
    }
}
