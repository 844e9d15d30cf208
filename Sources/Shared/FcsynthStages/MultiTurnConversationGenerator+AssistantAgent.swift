import FcsynthCore

extension MultiTurnConversationGenerator {
    /// The assistant agent takes a turn: function calls, which the tool agent answers next, a
    /// question, which the user agent answers next, or the final answer, which finishes the
    /// conversation.
    package func assistantTurn(
        _ item: WorkItem, state: ConversationState, subTasks: [SubTask], mode: CompositionMode,
        plan: VariantPlan, exchange: ModelExchange
    ) async throws -> StageResult {
        var exchange = exchange
        let settings = exchange.context.settings
        guard state.rounds < settings.maxRounds else {
            return exchange.result(.filtered(reason: "\(name.rawValue): no final answer after \(state.rounds) rounds"))
        }
        let functions = plan.shown
        let prompt = Self.assistantPrompt(
            subTasks: subTasks, mode: mode,
            parallelCalls: settings.parallelToolCalls, dialogue: state, plan: plan)
        let answer = try await exchange.ask(
            prompt, call: Call.assistant, schema: ReplySchema.assistantTurn(functions: functions)
        ) { reply throws(ReplyProblem) in
            try AssistantTurn(
                reply: reply, firstTurn: state.rounds == 0, callsMade: state.callCount > 0,
                functions: functions, parallelCalls: settings.parallelToolCalls)
        }
        guard let turn = answer else { return exchange.stopped() }
        exchange.record(turn.repairs)

        var state = state
        state.rounds += 1
        switch turn.action {
        case .final(let answer):
            state.messages.append(OutputMessage(role: .assistant, content: answer))
            return finish(item, state: state, plan: plan, exchange: exchange)
        case _ where state.rounds >= settings.maxRounds:
            // Answers to these calls or this question could only serve a turn past the limit.
            return exchange.result(.filtered(reason: "\(name.rawValue): no final answer after \(state.rounds) rounds"))
        case .question(let question):
            state.messages.append(OutputMessage(role: .assistant, content: question))
            return proceed(item, with: state, exchange: exchange)
        case .calls(let calls):
            let made = state.callCount
            let toolCalls = calls.enumerated().map { index, call in
                ToolCall(
                    id: "call_\(made + index + 1)", name: call.name, arguments: PromptData.serialize(call.arguments))
            }
            state.messages.append(OutputMessage(role: .assistant, content: turn.thought, toolCalls: toolCalls))
            return proceed(item, with: state, exchange: exchange)
        }
    }
}
