import FcsynthCore

/// What the conversation was meant to do: its sub-tasks in order, the functions that serve
/// each, and how they compose. Raw records carry it in their lineage; other formats do not.
public struct TaskPlan: Sendable, Hashable {
    public var subTasks: [String]
    /// Function names per sub-task, in the same order; empty for a step the assistant does itself.
    public var functions: [[String]]
    public var mode: CompositionMode
    public var parallelCallsAllowed: Bool
    /// Functions shown that the item does not need: calling one is a wrong choice.
    public var distractors: [String]
    /// A needed function the assistant was not shown (`irrelevance`).
    public var withheldFunction: String?
    /// The argument the user left out of the request, to be asked for first (`clarify`).
    public var withheldDetail: WithheldDetail?

    public init(
        subTasks: [String], functions: [[String]], mode: CompositionMode, parallelCallsAllowed: Bool,
        distractors: [String] = [], withheldFunction: String? = nil, withheldDetail: WithheldDetail? = nil
    ) {
        self.subTasks = subTasks
        self.functions = functions
        self.mode = mode
        self.parallelCallsAllowed = parallelCallsAllowed
        self.distractors = distractors
        self.withheldFunction = withheldFunction
        self.withheldDetail = withheldDetail
    }
}
