import FcsynthCore

extension MultiTurnConversationGenerator {
    /// A call answered by the run's tool executor: its answer is the result as it came, checked
    /// against the function's `responses` with the rest of the record; a refusal is a tool
    /// error the assistant must handle. No result is invented, so none is injected either.
    package func executedResult(
        _ item: WorkItem, state: ConversationState, call: ToolCall, function: FunctionDefinition,
        executor: any ToolExecutor, exchange: ModelExchange
    ) async throws -> StageResult {
        let arguments = JSONParser.parse(call.function.arguments) ?? .object([:])
        var state = state
        let content: JSONValue
        switch try await executor.execute(name: function.name, arguments: arguments) {
        case .result(let result):
            content = result
        case .error(let kind, let message):
            content = .object(["error": .object(["code": .string(kind.rawValue), "message": .string(message)])])
            state.failedCalls = (state.failedCalls ?? []) + [call.id]
        }
        state.messages.append(OutputMessage(role: .tool, content: PromptData.serialize(content), toolCallId: call.id))
        return proceed(item, with: state, exchange: exchange)
    }
}
