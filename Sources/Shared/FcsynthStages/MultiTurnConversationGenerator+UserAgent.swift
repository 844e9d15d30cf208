import FcsynthCore

extension MultiTurnConversationGenerator {
    /// The user agent, which sees only the composition task, writes the opening request.
    func open(
        _ item: WorkItem, composition: String, plan: VariantPlan, exchange: ModelExchange
    ) async throws -> StageResult {
        var exchange = exchange
        let answer = try await userMessage(
            Self.userPrompt(composition: composition, withholding: plan.withheldDetailPrompt),
            functions: plan.shown, exchange: &exchange)
        guard let message = answer else { return exchange.stopped() }
        return proceed(
            item, with: ConversationState(messages: [OutputMessage(role: .user, content: message)]), exchange: exchange)
    }

    /// The user agent answers the assistant's question from what the composition task says.
    package func answerQuestion(
        _ item: WorkItem, composition: String, state: ConversationState, plan: VariantPlan,
        exchange: ModelExchange
    ) async throws -> StageResult {
        var exchange = exchange
        let prompt = Self.userReplyPrompt(
            composition: composition, dialogue: state, withheld: plan.withheldDetailPrompt)
        guard let message = try await userMessage(prompt, functions: plan.shown, exchange: &exchange) else {
            return exchange.stopped()
        }
        var state = state
        state.messages.append(OutputMessage(role: .user, content: message))
        return proceed(item, with: state, exchange: exchange)
    }

    /// A message that names a function gives the solution away and is corrected.
    private func userMessage(
        _ prompt: [ChatMessage], functions: [FunctionDefinition], exchange: inout ModelExchange
    ) async throws -> String? {
        let toolNames = functions.map(\.name).filter { $0.contains("_") }
        return try await exchange.ask(prompt, call: Call.user, schema: ReplySchema.userMessage) {
            reply throws(ReplyProblem) in
            let message = try ReplyObject(reply).string("message")
            if let named = toolNames.first(where: { message.contains($0) }) {
                throw ReplyProblem(
                    "the message names the function \"\(named)\"; a user does not know the tools, so ask in plain words"
                )
            }
            return message
        }
    }
}
