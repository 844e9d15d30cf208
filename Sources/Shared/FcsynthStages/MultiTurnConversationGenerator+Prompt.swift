import FcsynthCore

extension MultiTurnConversationGenerator {
    /// Told to the assistant agent when the run allows parallel calls; the simulated LLM
    /// looks for this sentence.
    package static let parallelCallsRule =
        "You may call several functions in one turn when none of them needs another's result."
    package static let singleCallRule = "Call one function per turn."
    /// Opens the user message that carries a turn's function results.
    package static let resultsHeading = "Function results:"

    /// Opens the rule that tells the user agent which detail to leave out (`clarify`); the
    /// simulated LLM looks for it.
    package static let withholdRule = "Leave out one detail the task states:"

    /// `withholding`, in a `clarify` item, names the detail the user leaves out for the
    /// assistant to ask for.
    package static func userPrompt(composition: String, withholding detail: JSONValue? = nil) -> [ChatMessage] {
        var data: [String: JSONValue] = ["composition_task": .string(composition)]
        var rules = "- Include every piece of data the task needs: names, places, dates, amounts."
        if let detail {
            data["withheld_detail"] = detail
            rules = """
                - \(withholdRule) "withheld_detail" below. Do not write its value or hint at it, as if you forgot it; you give it when asked.
                - Include every other piece of data the task needs: names, places, dates, amounts.
                """
        }
        return [
            .system(
                "You play a person asking an AI assistant for help. You do not know how the assistant works or what tools it has."
            ),
            .user(
                """
                Write the first message you send the assistant to get the task below done.

                \(rules)
                - Say what you want, not how to do it: no steps, no function or tool names.
                - Write naturally, as a person would, in one message.

                Reply with only this JSON object: {"message": "<your message>"}

                \(PromptData.block(data))
                """),
        ]
    }

    /// The user agent's answer to a question: the task, and the conversation as the user sees
    /// it (requests, questions and answers; no function calls).
    /// `withheld` is the detail the user left out of the request, which the answer gives as the task states it.
    package static func userReplyPrompt(
        composition: String, dialogue: ConversationState, withheld: JSONValue? = nil
    ) -> [ChatMessage] {
        let visible = dialogue.messages.filter { $0.role == .user || ($0.role == .assistant && $0.toolCalls == nil) }
        let conversation = visible.map { message in
            JSONValue.object(["role": .string(message.role.rawValue), "content": .string(message.content ?? "")])
        }
        var data: [String: JSONValue] = [
            "composition_task": .string(composition), "conversation": .array(conversation),
        ]
        var withheldRule = ""
        if let withheld {
            data["withheld_detail"] = withheld
            withheldRule =
                "\n- You left \"withheld_detail\" out of your first message; when asked for it, give it exactly as the task states it."
        }
        return [
            .system(
                "You play a person asking an AI assistant for help. You do not know how the assistant works or what tools it has."
            ),
            .user(
                """
                The assistant has asked you a question about your task. Answer it as the person would.

                - Answer with what the task says; if the task does not say, give a sensible, specific answer.\(withheldRule)
                - Add no new requests, no steps and no function or tool names.

                Reply with only this JSON object: {"message": "<your answer>"}

                \(PromptData.block(data))
                """),
        ]
    }

    /// The assistant agent's system prompt with the functions and the sub-task hints, then
    /// the dialogue so far: its own turns as the JSON it wrote, each turn's function results
    /// as one user message (a `tool` role cannot be sent without native tool calls).
    /// `plan` gives the functions shown (with any distractors) and marks the steps a withheld
    /// function served as unavailable; nil: the item's own functions, all of them.
    package static func assistantPrompt(
        subTasks: [SubTask], mode: CompositionMode, parallelCalls: Bool,
        dialogue: ConversationState, plan: VariantPlan? = nil
    ) -> [ChatMessage] {
        let hints = subTasks.enumerated().map { index, subTask in
            var hint: [String: JSONValue] = [
                "step": .number(Double(index + 1)),
                "functions": JSONValue(
                    strings: subTask.functions.map(\.name).filter { $0 != plan?.withheldFunction }),
                "after_steps": .array(
                    mode.prerequisites(ofStep: index, count: subTasks.count).map { .number(Double($0 + 1)) }),
            ]
            // The steps' words would give a withheld detail away, and the assistant must ask for it.
            if plan?.withheldDetail == nil { hint["sub_task"] = .string(subTask.task) }
            if plan?.isUnavailable(subTask) == true { hint["unavailable"] = .bool(true) }
            return JSONValue.object(hint)
        }
        let data: [String: JSONValue] = [
            "functions": .array((plan?.shown ?? subTasks.distinctFunctions).map(\.json)),
            "hints": .array(hints),
        ]
        let system = ChatMessage.system(
            """
            You are an AI assistant that carries out the user's request by calling functions. Nothing is done unless you call the function that does it.

            Each turn, reply with only one JSON object, either
            {"thought": "<observation and reasoning>", "tool_calls": [{"name": "<function>", "arguments": {<argument>: <value>}}]}
            to call functions, or
            {"thought": "<observation and reasoning>", "final": "<your answer to the user>"}
            once the request is done, or, only when the request lacks a detail that no function can supply,
            {"thought": "<observation and reasoning>", "ask_user": "<your question>"}.

            - Your first thought lays out a numbered plan (1. ..., 2. ...).
            - Each later thought first observes the latest function results.
            - Use the functions rather than your own knowledge; do logic, comparison and arithmetic yourself.
            - Call only the functions listed below, with arguments that match their parameters. Take values from the user's request and from earlier results; never make them up.
            - \(parallelCalls ? parallelCallsRule : singleCallRule)
            - A function may return an error instead of a result. Then call it again with corrected arguments if the error shows what was wrong and the request tells you the right value; otherwise do what you still can and say in the final answer what could not be done and why.
            - Some listed functions may serve no part of the request: call only those that do.
            - A part of the request that no listed function can do cannot be done: do not call a function for it or make up its outcome; do the rest, and say in the final answer which part you could not do and why.
            - The final answer tells the user the outcome in plain words, with the figures and facts they asked for.

            "functions" lists the functions. "hints" gives the sub-tasks the request breaks into, in order (their words left out when the request lacks a detail), with the functions defined for each (a function may serve later steps too) and the steps each must wait for, and marks "unavailable" a step that no listed function can do in full; the user has not seen them.

            \(PromptData.block(data))
            """)
        return [system] + dialogueMessages(dialogue)
    }

    private static func dialogueMessages(_ state: ConversationState) -> [ChatMessage] {
        var names: [String: String] = [:]
        var results: [JSONValue] = []
        var messages: [ChatMessage] = []
        func flushResults() {
            guard !results.isEmpty else { return }
            messages.append(.user(resultsHeading + "\n" + PromptData.block(["results": .array(results)])))
            results = []
        }
        for message in state.messages {
            switch message.role {
            case .tool:
                let id = message.toolCallId ?? ""
                let result = JSONParser.parse(message.content ?? "") ?? .string(message.content ?? "")
                results.append(.object(["call_id": .string(id), "name": .string(names[id] ?? ""), "result": result]))
            case .assistant:
                flushResults()
                guard let calls = message.toolCalls else {
                    messages.append(
                        .assistant(PromptData.serialize(.object(["ask_user": .string(message.content ?? "")]))))
                    continue
                }
                for call in calls { names[call.id] = call.function.name }
                let reply = JSONValue.object([
                    "thought": .string(message.content ?? ""),
                    "tool_calls": .array(
                        calls.map { call in
                            .object([
                                "name": .string(call.function.name),
                                "arguments": JSONParser.parse(call.function.arguments) ?? .object([:]),
                            ])
                        }),
                ])
                messages.append(.assistant(PromptData.serialize(reply)))
            case .user, .system:
                flushResults()
                messages.append(ChatMessage(role: message.role, content: message.content ?? ""))
            }
        }
        flushResults()
        return messages
    }

    /// `earlier` holds the calls already executed in this conversation with their results, so
    /// that a details lookup agrees with the search it follows.
    package static func toolPrompt(
        function: FunctionDefinition, arguments: JSONValue, request: String,
        earlier: [JSONValue] = []
    ) -> [ChatMessage] {
        let call = JSONValue.object(["name": .string(function.name), "arguments": arguments])
        return [
            .system(
                "You play a computer that executes functions. Every call succeeds, and you return what the real function would return."
            ),
            .user(
                """
                Execute the function call below and give its result.

                - The result must match the function's "responses" schema exactly: every required property, the right types, no other properties unless the schema allows them.
                - Use realistic, specific values that agree with the arguments and with the user's request.
                - Stay consistent with "earlier_results", what you already returned in this conversation: an entity keeps its id, name, price and other details, and a lookup of something found earlier describes that same thing.

                Reply with only this JSON object: {"result": <the result>}

                \(PromptData.block(["function": function.json, "call": call, "user_request": .string(request), "earlier_results": .array(earlier)]))
                """),
        ]
    }

    /// The words of the training system prompt before its tool list.
    package static let trainingInstruction =
        "You are a helpful assistant with access to the functions below. Call them when they help with the user's request, and answer in plain words once you have what you need."

    /// The system prompt of the exported conversation: the tools only, no hints.
    package static func trainingSystemPrompt(tools: [ToolDefinition]) -> String {
        trainingInstruction + "\n\n" + PromptData.fenceOpen + PromptData.serialize(.array(tools.map(\.json)))
            + PromptData.fenceClose
    }

    /// The instruction alone, when `systemPrompt` is a training system prompt (whatever tools it
    /// lists: an export may have renamed them); nil for any other text.
    package static func trainingInstruction(of systemPrompt: String) -> String? {
        let head = trainingInstruction + "\n\n" + PromptData.fenceOpen
        guard systemPrompt.hasPrefix(head), systemPrompt.hasSuffix(PromptData.fenceClose),
            systemPrompt.utf8.count >= head.utf8.count + PromptData.fenceClose.utf8.count
        else { return nil }
        return trainingInstruction
    }
}
