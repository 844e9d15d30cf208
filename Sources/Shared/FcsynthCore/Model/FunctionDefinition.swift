/// A function as the function generator writes it: `parameters` and `responses` are JSON Schema objects.
public struct FunctionDefinition: Codable, Sendable, Hashable {
    public var name: String
    public var description: String
    public var parameters: JSONValue
    public var responses: JSONValue

    public init(name: String, description: String, parameters: JSONValue, responses: JSONValue) {
        self.name = name
        self.description = description
        self.parameters = parameters
        self.responses = responses
    }
}
