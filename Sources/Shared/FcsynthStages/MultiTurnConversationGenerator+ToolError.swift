import FcsynthCore

extension MultiTurnConversationGenerator {
    /// The error this call returns under the run's `tool_error_rate`, or nil for a result: drawn
    /// from the item and call ids, so that a retried step fails the same way.
    package static func injectedError(item: WorkItem, call: ToolCall, rate: Double) -> ToolErrorKind? {
        guard rate > 0 else { return nil }
        var mixer = SplitMix64(seed: StableHash.of("\(item.id)/\(call.id)"))
        guard mixer.nextUnit() < rate else { return nil }
        return ToolErrorKind.allCases[Int(mixer.next() % UInt64(ToolErrorKind.allCases.count))]
    }

    /// The tool agent writes the error the function would return for this call, of this kind.
    package func toolError(
        _ item: WorkItem, state: ConversationState, call: ToolCall, function: FunctionDefinition, kind: ToolErrorKind,
        exchange: ModelExchange
    ) async throws -> StageResult {
        var exchange = exchange
        let arguments = JSONParser.parse(call.function.arguments) ?? .object([:])
        let prompt = Self.toolErrorPrompt(
            function: function, arguments: arguments, request: state.userRequest ?? "", kind: kind)
        let answer = try await exchange.ask(
            prompt, call: Call.toolError, schema: ReplySchema.object(["error": ToolErrorKind.resultSchema]),
            temperature: 0
        ) { reply throws(ReplyProblem) in
            let message = try ReplyObject(try ReplyObject(reply).value("error"), path: "error").string("message")
            return JSONValue.object(["error": .object(["code": .string(kind.rawValue), "message": .string(message)])])
        }
        guard let result = answer else { return exchange.stopped() }
        var state = state
        state.messages.append(OutputMessage(role: .tool, content: PromptData.serialize(result), toolCallId: call.id))
        state.failedCalls = (state.failedCalls ?? []) + [call.id]
        return proceed(item, with: state, exchange: exchange)
    }

    package static func toolErrorPrompt(
        function: FunctionDefinition, arguments: JSONValue, request: String, kind: ToolErrorKind
    ) -> [ChatMessage] {
        let call = JSONValue.object(["name": .string(function.name), "arguments": arguments])
        return [
            .system(
                "You play a computer that executes functions. This call fails, and you return the error the real function would return."
            ),
            .user(
                """
                The function call below fails with the error "\(kind.rawValue)": \(kind.meaning).

                Write the error message the function returns: one short sentence that names what is wrong, using the values in the arguments (the id or name that was not found, the value that was not accepted). Do not suggest a fix and do not invent other data.

                Reply with only this JSON object: {"error": {"code": "\(kind.rawValue)", "message": "<the error message>"}}

                \(PromptData.block(["function": function.json, "call": call, "user_request": .string(request), "error_code": .string(kind.rawValue)]))
                """),
        ]
    }
}
