import FcsynthCore

extension MultiTurnConversationGenerator {
    /// The tool agent answers one pending call, given the function's whole definition, and
    /// its result must match the function's `responses` schema.
    package func toolResult(
        _ item: WorkItem, state: ConversationState, call: ToolCall, functions: [FunctionDefinition],
        exchange: ModelExchange
    ) async throws -> StageResult {
        var exchange = exchange
        guard let function = functions.first(where: { $0.name == call.function.name }) else {
            return exchange.result(
                .filtered(reason: "\(name.rawValue): call \(call.id) names no known function \"\(call.function.name)\"")
            )
        }
        if let executor = exchange.context.toolExecutor {
            return try await executedResult(
                item, state: state, call: call, function: function, executor: executor, exchange: exchange)
        }
        if let kind = Self.injectedError(item: item, call: call, rate: exchange.context.settings.toolErrorRate) {
            return try await toolError(
                item, state: state, call: call, function: function, kind: kind, exchange: exchange)
        }
        let arguments = JSONParser.parse(call.function.arguments) ?? .object([:])
        let prompt = Self.toolPrompt(
            function: function, arguments: arguments, request: state.userRequest ?? "",
            earlier: state.executedCalls)
        // An execution, not writing: the same call in the same state should return the same result.
        let answer = try await exchange.ask(
            prompt, call: Call.tool, schema: ReplySchema.toolResult(function), temperature: 0
        ) { reply throws(ReplyProblem) in
            let coerced = SchemaCoercion.coerced(
                try ReplyObject(reply).value("result"), to: function.responses, droppingExtraKeys: true)
            let violations = JSONSchemaValidator.validate(coerced.value, against: function.responses, at: "$.result")
            guard violations.isEmpty else {
                throw ReplyProblem(
                    "the result does not match the function's responses schema: "
                        + violations.map(\.description).joined(separator: "; "))
            }
            return coerced
        }
        guard let (result, repairs) = answer else { return exchange.stopped() }
        exchange.record(repairs)

        var state = state
        state.messages.append(OutputMessage(role: .tool, content: PromptData.serialize(result), toolCallId: call.id))
        return proceed(item, with: state, exchange: exchange)
    }
}
