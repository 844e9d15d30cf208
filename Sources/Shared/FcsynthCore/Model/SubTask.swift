/// One step of a compositional task and the functions that serve it (none for logic,
/// comparison and arithmetic, which the assistant does itself).
public struct SubTask: Codable, Sendable, Hashable {
    public var task: String
    public var functions: [FunctionDefinition]

    public init(task: String, functions: [FunctionDefinition] = []) {
        self.task = task
        self.functions = functions
    }

    package enum CodingKeys: String, CodingKey {
        case task = "sub_task"
        case functions
    }
}
