import FcsynthCore

/// Plays out the conversation with three agents, one LLM call per step: the user agent opens
/// with the composition task (and answers the assistant's questions, if it asks any), the
/// assistant agent plans and calls functions, the tool agent answers each call as the function
/// would. Each step hands the item back to this stage with the dialogue so far, until the
/// assistant's final answer yields the finished record.
public struct MultiTurnConversationGenerator: Stage {
    public let name = StageName.conversation

    /// The `X-Fcsynth-Stage` names of the three agents' calls.
    public enum Call {
        public static let user = "conv_user"
        public static let assistant = "conv_assistant"
        public static let tool = "conv_tool"
        /// The tool agent writing the error of a call made to fail (`tool_error_rate`).
        public static let toolError = "conv_tool_error"
    }

    public init() {}

    public func process(_ item: WorkItem, context: StageContext) async throws -> StageResult {
        let exchange = ModelExchange(name, context: context)
        guard let composition = item.compositionTask else { return exchange.missing("composition task") }
        guard let subTasks = item.subTasks, !subTasks.isEmpty else { return exchange.missing("sub-tasks") }
        guard let mode = item.compositionMode else { return exchange.missing("composition mode") }
        let state = item.conversation ?? ConversationState()
        let plan = VariantPlan(item: item, subTasks: subTasks, settings: context.settings)
        switch state.move {
        case .userOpening:
            return try await open(item, composition: composition, plan: plan, exchange: exchange)
        case .userReply:
            return try await answerQuestion(
                item, composition: composition, state: state, plan: plan, exchange: exchange)
        case .assistant:
            return try await assistantTurn(
                item, state: state, subTasks: subTasks, mode: mode, plan: plan, exchange: exchange)
        case .tool(let call):
            return try await toolResult(item, state: state, call: call, functions: plan.shown, exchange: exchange)
        }
    }

    /// The item with the dialogue advanced, back on this stage's queue.
    package func proceed(_ item: WorkItem, with state: ConversationState, exchange: ModelExchange) -> StageResult {
        var next = item
        next.conversation = state
        return exchange.result(.next([StageTask(stage: name, item: next)]))
    }
}
