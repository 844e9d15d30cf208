import FcsynthCore

/// A conversation as the checks read it, from any format: the messages (system first where
/// there is one), the functions it could call, and the plan where the record carries one.
public struct VerifiableConversation: Sendable, Hashable {
    public var messages: [OutputMessage]
    /// Only `name` and `parameters` are read: a format that carries no `responses` loses nothing.
    public var functions: [FunctionDefinition]
    public var plan: TaskPlan?

    public init(messages: [OutputMessage], functions: [FunctionDefinition], plan: TaskPlan? = nil) {
        self.messages = messages
        self.functions = functions
        self.plan = plan
    }

    /// A finished record, with the plan its lineage holds.
    public init(_ record: ConversationRecord) {
        let lineage = record.lineage
        var plan: TaskPlan?
        if let functions = lineage.subTaskFunctions, functions.count == lineage.subTasks.count {
            plan = TaskPlan(
                subTasks: lineage.subTasks, functions: functions, mode: lineage.compositionMode,
                parallelCallsAllowed: lineage.parallelToolCalls ?? true, distractors: lineage.distractors ?? [],
                withheldFunction: lineage.withheldFunction, withheldDetail: lineage.withheldDetail)
        }
        self.init(messages: record.messages, functions: record.functions, plan: plan)
    }
}
