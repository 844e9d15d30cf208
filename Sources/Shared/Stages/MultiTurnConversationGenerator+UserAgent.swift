extension MultiTurnConversationGenerator {
    /// The user agent, which sees only the composition task, writes the opening request.
    /// A message that names a function gives the solution away and is corrected.
    func open(_ item: WorkItem, composition: String, functions: [FunctionDefinition], exchange: ModelExchange) async throws -> StageResult {
        var exchange = exchange
        let toolNames = functions.map(\.name).filter { $0.contains("_") }
        let answer = try await exchange.ask(Self.userPrompt(composition: composition), call: Call.user) { reply throws(ReplyProblem) in
            let message = try ReplyObject(reply).string("message")
            if let named = toolNames.first(where: { message.contains($0) }) {
                throw ReplyProblem("the message names the function \"\(named)\"; a user does not know the tools, so ask in plain words")
            }
            return message
        }
        guard let message = answer else { return exchange.stopped() }
        return proceed(item, with: ConversationState(messages: [OutputMessage(role: .user, content: message)]), exchange: exchange)
    }
}
