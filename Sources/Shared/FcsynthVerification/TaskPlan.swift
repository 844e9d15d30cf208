import FcsynthCore

/// What the conversation was meant to do: its sub-tasks in order, the functions that serve
/// each, and how they compose. Raw records carry it in their lineage; other formats do not.
public struct TaskPlan: Sendable, Hashable {
    public var subTasks: [String]
    /// Function names per sub-task, in the same order; empty for a step the assistant does itself.
    public var functions: [[String]]
    public var mode: CompositionMode
    public var parallelCallsAllowed: Bool

    public init(subTasks: [String], functions: [[String]], mode: CompositionMode, parallelCallsAllowed: Bool) {
        self.subTasks = subTasks
        self.functions = functions
        self.mode = mode
        self.parallelCallsAllowed = parallelCallsAllowed
    }
}
