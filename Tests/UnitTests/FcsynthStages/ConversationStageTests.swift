import Testing

@testable import FcsynthCore
@testable import FcsynthStages
@testable import FcsynthVerification

@Suite struct ConversationUserAgentTests {
    typealias C = ConversationFixtures

    @Test(arguments: ReplyForm.allCases)
    func opensWithTheUsersRequest(form: ReplyForm) async throws {
        let reply = form.wrap(
            #"{"message": "Hi! Please book Anna Weber on the cheapest economy flight from Lisbon to Oslo on 14 March 2025."}"#
        )
        let step = try await StageHarness.step(
            MultiTurnConversationGenerator(), StageFixtures.withFunctions, replies: [reply])
        let item = try #require(step.nextItem)
        #expect(step.next.map(\.stage) == [.conversation])
        #expect(item.conversation == ConversationState(messages: [OutputMessage(role: .user, content: C.opening)]))
        let request = try #require(step.requests.first)
        #expect(request.call == "conv_user")
        let prompt = request.messages.map(\.content).joined()
        #expect(prompt.contains(StageFixtures.compositionTask))
        #expect(!prompt.contains("search_flights"))
    }

    @Test func correctsAMessageThatNamesAFunction() async throws {
        let named = #"{"message": "Use search_flights to find a flight from Lisbon to Oslo."}"#
        let step = try await StageHarness.step(
            MultiTurnConversationGenerator(), StageFixtures.withFunctions,
            replies: [named, malformedReply, #"{"message": ""}"#])
        #expect(step.result.llmCalls == 3)
        #expect(step.requests[1].messages.last?.content.contains(#"names the function "search_flights""#) == true)
        #expect(
            step.filteredReason
                == #"conversation/conv_user: no usable reply after 3 attempts: "message" in reply is empty"#)
    }
}

@Suite struct ConversationAssistantAgentTests {
    typealias C = ConversationFixtures

    @Test(arguments: ReplyForm.allCases)
    func plansAndCalls(form: ReplyForm) async throws {
        let step = try await StageHarness.step(
            MultiTurnConversationGenerator(), C.userOpened, replies: [form.wrap(C.planWithSearch)])
        let state = try #require(step.nextItem?.conversation)
        #expect(state.rounds == 1)
        #expect(
            state.messages.last
                == OutputMessage(
                    role: .assistant, content: "Plan:\n1. Search the flights.\n2. Book the cheapest.",
                    toolCalls: [ToolCall(id: "call_1", name: "search_flights", arguments: C.searchArguments)]))
        #expect(state.move == .tool(ToolCall(id: "call_1", name: "search_flights", arguments: C.searchArguments)))
    }

    @Test func promptsWithFunctionsHintsAndTheDialogue() async throws {
        let step = try await StageHarness.step(
            MultiTurnConversationGenerator(), C.searchAnswered, replies: [C.bookCall])
        let request = try #require(step.requests.first)
        #expect(request.call == "conv_assistant")
        #expect(request.messages.map(\.role) == [.system, .user, .assistant, .user])
        let data = try #require(PromptData.lastBlock(in: request.messages[0].content))
        #expect(data["functions"] == .array([StageFixtures.searchFlights.json, StageFixtures.bookFlight.json]))
        #expect(data["hints"]?.arrayValue?.map { $0["after_steps"] } == [.array([]), .array([.number(1)])])
        #expect(request.messages[0].content.contains(MultiTurnConversationGenerator.parallelCallsRule))
        let ownTurn = try JSONCoding.decode(JSONValue.self, from: request.messages[2].content)
        #expect(
            ownTurn["tool_calls"]
                == .array([
                    .object([
                        "name": .string("search_flights"),
                        "arguments": .object(["origin": .string("Lisbon"), "destination": .string("Oslo")]),
                    ])
                ]))
        #expect(request.messages[3].content.hasPrefix(MultiTurnConversationGenerator.resultsHeading))
        let results = try #require(PromptData.lastBlock(in: request.messages[3].content))
        #expect(
            results
                == .object([
                    "results": .array([
                        .object([
                            "call_id": .string("call_1"), "name": .string("search_flights"),
                            "result": .object(["flight_id": .string("TP-1234"), "price": .number(89.5)]),
                        ])
                    ])
                ]))
        #expect(step.nextItem?.conversation?.messages.last?.toolCalls?.first?.id == "call_2")
    }

    @Test func correctsAFirstTurnWithoutPlanOrCalls() async throws {
        let noPlan =
            #"{"thought": "Let me search.", "tool_calls": [{"name": "search_flights", "arguments": {"origin": "Lisbon", "destination": "Oslo"}}]}"#
        let earlyFinal = #"{"thought": "1. Answer.", "final": "Done."}"#
        let step = try await StageHarness.step(
            MultiTurnConversationGenerator(), C.userOpened, replies: [noPlan, earlyFinal, C.planWithSearch])
        #expect(step.result.llmCalls == 3)
        #expect(step.requests[1].messages.last?.content.contains("must contain a numbered plan") == true)
        #expect(step.requests[2].messages.last?.content.contains("before giving a final answer") == true)
        #expect(step.nextItem?.conversation?.rounds == 1)
    }

    /// Each bad call is corrected with the validator's finding, then filtered when it persists.
    @Test(arguments: [
        (
            #"[{"name": "find_flights", "arguments": {"origin": "Lisbon"}}]"#,
            #"function "find_flights" is not declared"#
        ),
        (
            #"[{"name": "search_flights", "arguments": {"origin": "Lisbon"}}]"#,
            "$.arguments.destination: required property missing"
        ),
        (
            #"[{"name": "search_flights", "arguments": {"origin": "Lisbon", "destination": "Oslo", "max_stops": "one"}}]"#,
            "$.arguments.max_stops: expected integer, got string"
        ),
        (
            #"[{"name": "search_flights", "arguments": {"origin": "Lisbon", "destination": "Oslo", "cabin": "economy"}}]"#,
            "$.arguments.cabin: property not declared in the schema"
        ),
        (
            #"[{"name": "search_flights", "arguments": ["Lisbon", "Oslo"]}]"#,
            "tool_calls[0].arguments must be a JSON object, not array"
        ),
        (#"[{"name": "search_flights"}]"#, #"tool_calls[0] lacks the key "arguments""#),
    ])
    func correctsThenFiltersInvalidCalls(calls: String, finding: String) async throws {
        let bad = C.calls(calls)
        let step = try await StageHarness.step(
            MultiTurnConversationGenerator(), C.userOpened, replies: [bad, bad, bad])
        #expect(step.result.llmCalls == 3)
        #expect(step.requests[1].messages.last?.content.contains(finding) == true)
        let reason = try #require(step.filteredReason)
        #expect(reason.hasPrefix("conversation/conv_assistant: no usable reply after 3 attempts: "))
        #expect(reason.contains(finding))
    }

    @Test func acceptsArgumentsSentAsAString() async throws {
        let stringArguments = C.calls(
            #"[{"name": "search_flights", "arguments": "{\"origin\": \"Lisbon\", \"destination\": \"Oslo\"}"}]"#)
        let step = try await StageHarness.step(
            MultiTurnConversationGenerator(), C.userOpened, replies: [stringArguments])
        #expect(step.nextItem?.conversation?.messages.last?.toolCalls?.first?.function.arguments == C.searchArguments)
    }

    @Test func makesParallelCallsOnlyWhenAllowed() async throws {
        let two = C.calls(
            #"[{"name": "search_flights", "arguments": {"origin": "Lisbon", "destination": "Oslo"}}, {"name": "search_flights", "arguments": {"origin": "Porto", "destination": "Oslo"}}]"#
        )
        let allowed = try await StageHarness.step(MultiTurnConversationGenerator(), C.userOpened, replies: [two])
        #expect(allowed.nextItem?.conversation?.messages.last?.toolCalls?.map(\.id) == ["call_1", "call_2"])

        let settings = StageHarness.settings { $0.parallelToolCalls = false }
        let single = try await StageHarness.step(
            MultiTurnConversationGenerator(), C.userOpened, replies: [two, C.planWithSearch], settings: settings)
        #expect(single.requests[0].messages[0].content.contains(MultiTurnConversationGenerator.singleCallRule))
        #expect(
            single.requests[1].messages.last?.content.contains(#""tool_calls" has 2 calls; make one call per turn"#)
                == true)
        #expect(single.nextItem?.conversation?.messages.last?.toolCalls?.count == 1)
    }

    @Test func correctsAReplyWithSeveralOrNoActions() async throws {
        let both = #"{"thought": "1. x", "tool_calls": [{"name": "book_flight", "arguments": {}}], "final": "Done."}"#
        let neither = #"{"thought": "1. x", "tool_calls": []}"#
        let step = try await StageHarness.step(
            MultiTurnConversationGenerator(), C.searchAnswered, replies: [both, neither, C.bookCall])
        #expect(
            step.requests[1].messages.last?.content.contains(
                #"the reply has "tool_calls" and "final"; give only one of them"#) == true)
        #expect(
            step.requests[2].messages.last?.content.contains(#"needs one of "tool_calls", "ask_user" or "final""#)
                == true)
        #expect(step.nextItem?.conversation?.rounds == 2)
    }

    @Test func asksTheUserAndHearsTheAnswer() async throws {
        let question =
            #"{"thought": "Plan:\n1. Ask for the cabin.\n2. Search.", "ask_user": "Which cabin class would you like?"}"#
        let asked = try await StageHarness.step(MultiTurnConversationGenerator(), C.userOpened, replies: [question])
        let afterQuestion = try #require(asked.nextItem)
        #expect(
            afterQuestion.conversation?.messages.last
                == OutputMessage(role: .assistant, content: "Which cabin class would you like?"))
        #expect(afterQuestion.conversation?.move == .userReply)

        let answered = try await StageHarness.step(
            MultiTurnConversationGenerator(), afterQuestion, replies: [#"{"message": "Economy, please."}"#])
        let request = try #require(answered.requests.first)
        #expect(request.call == "conv_user")
        let data = try #require(PromptData.lastBlock(in: request.messages.last?.content ?? ""))
        #expect(data["conversation"]?.arrayValue?.count == 2)
        let afterAnswer = try #require(answered.nextItem)
        #expect(afterAnswer.conversation?.messages.last == OutputMessage(role: .user, content: "Economy, please."))
        #expect(afterAnswer.conversation?.move == .assistant)

        // No final answer before a function is called, even after a question.
        let early = #"{"thought": "Economy it is.", "final": "Done."}"#
        let next = try await StageHarness.step(
            MultiTurnConversationGenerator(), afterAnswer, replies: [early, C.planWithSearch])
        #expect(next.requests[1].messages.last?.content.contains("before giving a final answer") == true)
        #expect(next.requests[0].messages.map(\.role) == [.system, .user, .assistant, .user])
        #expect(next.requests[0].messages[2].content == #"{"ask_user":"Which cabin class would you like?"}"#)
    }

    @Test func stopsAtMaxRounds() async throws {
        let settings = StageHarness.settings { $0.maxRounds = 2 }
        let spent = try await StageHarness.step(
            MultiTurnConversationGenerator(), C.bookingAnswered, replies: [], settings: settings)
        #expect(spent.filteredReason == "conversation: no final answer after 2 rounds")
        #expect(spent.requests.isEmpty)

        let last = try await StageHarness.step(
            MultiTurnConversationGenerator(), C.searchAnswered, replies: [C.bookCall], settings: settings)
        #expect(last.filteredReason == "conversation: no final answer after 2 rounds")
        #expect(last.result.llmCalls == 1)
    }
}

@Suite struct ConversationToolAgentTests {
    typealias C = ConversationFixtures

    @Test(arguments: ReplyForm.allCases)
    func answersThePendingCall(form: ReplyForm) async throws {
        let step = try await StageHarness.step(
            MultiTurnConversationGenerator(), C.searchCalled,
            replies: [form.wrap(#"{"result": {"flight_id": "TP-1234", "price": 89.5}}"#)])
        let state = try #require(step.nextItem?.conversation)
        #expect(state.messages.last == OutputMessage(role: .tool, content: C.searchResult, toolCallId: "call_1"))
        #expect(state.move == .assistant)
        let request = try #require(step.requests.first)
        #expect(request.call == "conv_tool")
        let data = try #require(PromptData.lastBlock(in: request.messages.last?.content ?? ""))
        #expect(data["function"] == StageFixtures.searchFlights.json)
        #expect(
            data["call"]
                == .object([
                    "name": .string("search_flights"),
                    "arguments": .object(["origin": .string("Lisbon"), "destination": .string("Oslo")]),
                ]))
        #expect(data["user_request"] == .string(C.opening))
    }

    @Test func correctsThenFiltersResultsOffTheResponsesSchema() async throws {
        let missing = #"{"result": {"flight_id": "TP-1234"}}"#
        let wrongType = #"{"result": {"flight_id": "TP-1234", "price": "cheap"}}"#
        let step = try await StageHarness.step(
            MultiTurnConversationGenerator(), C.searchCalled, replies: [missing, wrongType, #"{"output": {}}"#])
        #expect(step.result.llmCalls == 3)
        #expect(step.requests[1].messages.last?.content.contains("$.result.price: required property missing") == true)
        #expect(step.requests[2].messages.last?.content.contains("$.result.price: expected number, got string") == true)
        #expect(
            step.filteredReason
                == #"conversation/conv_tool: no usable reply after 3 attempts: reply lacks the key "result""#)
    }

    @Test func answersParallelCallsOneAStep() async throws {
        let calls = [
            ToolCall(id: "call_1", name: "search_flights", arguments: C.searchArguments),
            ToolCall(id: "call_2", name: "search_flights", arguments: #"{"destination":"Oslo","origin":"Porto"}"#),
        ]
        let item = C.item(
            [
                OutputMessage(role: .user, content: C.opening),
                OutputMessage(role: .assistant, content: "1. Search both.", toolCalls: calls),
            ], rounds: 1)
        let first = try await StageHarness.step(
            MultiTurnConversationGenerator(), item, replies: [#"{"result": {"flight_id": "A", "price": 1}}"#])
        let afterFirst = try #require(first.nextItem)
        #expect(afterFirst.conversation?.move == .tool(calls[1]))
        let second = try await StageHarness.step(
            MultiTurnConversationGenerator(), afterFirst, replies: [#"{"result": {"flight_id": "B", "price": 2}}"#])
        #expect(second.nextItem?.conversation?.messages.compactMap(\.toolCallId) == ["call_1", "call_2"])
        #expect(second.nextItem?.conversation?.move == .assistant)
    }
}

@Suite struct ConversationRecordTests {
    typealias C = ConversationFixtures

    @Test func keepsQuestionsAndAnswersInTheRecord() async throws {
        let messages = C.bookingAnswered.conversation!.messages
        let item = C.item(
            [
                messages[0], OutputMessage(role: .assistant, content: "Which cabin?"),
                OutputMessage(role: .user, content: "Economy."),
            ]
                + messages.dropFirst(), rounds: 3)
        let step = try await StageHarness.step(MultiTurnConversationGenerator(), item, replies: [C.final])
        let record = try #require(step.record)
        #expect(
            record.messages.map(\.role) == [
                .system, .user, .assistant, .user, .assistant, .tool, .assistant, .tool, .assistant,
            ])
        #expect(ConversationValidator.validate(record).isEmpty)
    }

    @Test func finishesWithAValidTrainingRecord() async throws {
        let step = try await StageHarness.step(MultiTurnConversationGenerator(), C.bookingAnswered, replies: [C.final])
        let record = try #require(step.record)
        #expect(ConversationValidator.validate(record).isEmpty)
        #expect(record.id == "17")
        #expect(record.messages.map(\.role) == [.system, .user, .assistant, .tool, .assistant, .tool, .assistant])
        #expect(
            record.messages.last
                == OutputMessage(
                    role: .assistant, content: "Anna Weber is booked on TP-1234 for 89.50 euros; reference XK9P2L."))
        let system = try #require(record.messages.first?.content)
        #expect(system.contains(#""name":"search_flights""#))
        #expect(!system.contains("hints"))
        #expect(!system.contains(StageFixtures.atomTask))
        #expect(!system.contains("responses"))
        #expect(
            record.tools == [ToolDefinition(StageFixtures.searchFlights), ToolDefinition(StageFixtures.bookFlight)])
        #expect(record.functions == [StageFixtures.searchFlights, StageFixtures.bookFlight])
        var expected = Lineage(
            run: "r1", line: 17, itemId: "17", scenario: "booking flights for a trip",
            atomTask: StageFixtures.atomTask, compositionMode: .sequential,
            compositionTask: StageFixtures.compositionTask,
            subTasks: [StageFixtures.atomTask, StageFixtures.subsequentTask],
            subTaskFunctions: [["search_flights"], ["book_flight"]], parallelToolCalls: true,
            checks: record.lineage.checks)
        // Every record says what it was built as, a standard one too.
        expected.variant = .standard
        #expect(record.lineage == expected)
        // Every check ran and passed, the form check among them.
        let checks = try #require(record.lineage.checks)
        #expect(Set(checks.keys) == Set(VerificationRule.allCases.map(\.rawValue) + ["form"]))
        #expect(checks.values.allSatisfy { $0.outcome == .pass })
        #expect(record.usage == TokenUsage(promptTokens: 1010, completionTokens: 105))
    }

    @Test func handsTheRecordToTheJudgeOrOutputsItWhenTheRunDoesNotJudge() async throws {
        let judged = try await StageHarness.step(
            MultiTurnConversationGenerator(), C.bookingAnswered, replies: [C.final])
        let task = try #require(judged.next.first)
        #expect(judged.next.count == 1)
        #expect(task.stage == .judge)
        #expect(task.item.conversation == nil)
        #expect(task.item.candidate?.lineage.judge == nil)

        let unjudged = try await StageHarness.step(
            MultiTurnConversationGenerator(), C.bookingAnswered, replies: [C.final],
            settings: StageHarness.settings { $0.judge = false })
        guard case .output(let record) = unjudged.result.outcome else {
            Issue.record("expected output, got \(unjudged.result.outcome)")
            return
        }
        #expect(record == task.item.candidate)
    }

    @Test func filtersARecordTheValidatorRejects() async throws {
        var item = C.bookingAnswered
        item.conversation?.messages[2].content = #"{"flight_id":"TP-1234"}"#
        let step = try await StageHarness.step(MultiTurnConversationGenerator(), item, replies: [C.final])
        #expect(
            step.filteredReason
                == "conversation: invalid record: $.messages[3].content.price: required property missing")
    }

    @Test func walksTheWholeDialogueOneCallAStep() async throws {
        let replies = [
            #"{"message": "Hi! Please book Anna Weber on the cheapest economy flight from Lisbon to Oslo on 14 March 2025."}"#,
            C.planWithSearch, #"{"result": {"flight_id": "TP-1234", "price": 89.5}}"#,
            C.bookCall, #"{"result": {"booking_reference": "XK9P2L"}}"#, C.final,
        ]
        let llm = ScriptedLLM(replies)
        let context = StageContext(run: "r1", settings: PipelineSettings(), llm: llm)
        var item = StageFixtures.withFunctions
        var record: ConversationRecord?
        for _ in replies {
            let result = try await MultiTurnConversationGenerator().process(item, context: context)
            #expect(result.llmCalls == 1)
            switch result.outcome {
            case .next(let tasks) where tasks.first?.stage == .judge: record = tasks.first?.item.candidate
            case .next(let tasks): item = try #require(tasks.first?.item)
            case .output(let finished): record = finished
            default: Issue.record("unexpected outcome \(result.outcome)")
            }
        }
        #expect(
            await llm.requests.map(\.call) == [
                "conv_user", "conv_assistant", "conv_tool", "conv_assistant", "conv_tool", "conv_assistant",
            ])
        let finished = try #require(record)
        #expect(finished.messages.map(\.role) == [.system, .user, .assistant, .tool, .assistant, .tool, .assistant])
        #expect(
            finished.messages.compactMap(\.content).dropFirst() == [
                C.opening, "Plan:\n1. Search the flights.\n2. Book the cheapest.", C.searchResult,
                "TP-1234 is cheapest.", #"{"booking_reference":"XK9P2L"}"#,
                "Anna Weber is booked on TP-1234 for 89.50 euros; reference XK9P2L.",
            ])
        #expect(finished.messages.compactMap(\.toolCallId) == ["call_1", "call_2"])
        #expect(ConversationValidator.validate(finished).isEmpty)
    }
}

@Suite struct ToolErrorStageTests {
    typealias C = ConversationFixtures

    @Test func theShareOfFailedCallsFollowsTheRateAndRepeatsForTheSameCall() {
        let calls = (1...2_000).map { index in
            (WorkItem(id: "\(index / 4)", line: 1), ToolCall(id: "call_\(index % 4 + 1)", name: "f", arguments: "{}"))
        }
        let failed = calls.filter {
            MultiTurnConversationGenerator.injectedError(item: $0.0, call: $0.1, rate: 0.3) != nil
        }
        #expect((500...700).contains(failed.count), "\(failed.count) of 2000")
        let kinds = Set(
            failed.compactMap { MultiTurnConversationGenerator.injectedError(item: $0.0, call: $0.1, rate: 0.3) })
        #expect(kinds == Set(ToolErrorKind.allCases))
        #expect(
            calls.allSatisfy { MultiTurnConversationGenerator.injectedError(item: $0.0, call: $0.1, rate: 0) == nil })
        #expect(
            calls.allSatisfy { MultiTurnConversationGenerator.injectedError(item: $0.0, call: $0.1, rate: 1) != nil })
    }

    @Test func aCallMadeToFailGetsTheToolAgentsErrorAndIsRecorded() async throws {
        let step = try await StageHarness.step(
            MultiTurnConversationGenerator(), C.searchCalled,
            replies: [#"{"error": {"code": "whatever", "message": "No flight from Lisbon to Oslo."}}"#],
            settings: StageHarness.settings { $0.toolErrorRate = 1 })
        let request = try #require(step.requests.first)
        #expect(request.call == "conv_tool_error")
        #expect(request.temperature == 0)
        let kind = try #require(
            MultiTurnConversationGenerator.injectedError(
                item: C.searchCalled, call: C.searchCalled.conversation!.messages[1].toolCalls![0], rate: 1))
        #expect(request.messages.last?.content.contains("fails with the error \"\(kind.rawValue)\"") == true)
        let state = try #require(step.nextItem?.conversation)
        #expect(state.failedCalls == ["call_1"])
        // The code is the one asked for, whatever the model wrote.
        #expect(
            state.messages.last
                == OutputMessage(
                    role: .tool,
                    content: #"{"error":{"code":"\#(kind.rawValue)","message":"No flight from Lisbon to Oslo."}}"#,
                    toolCallId: "call_1"))
    }
}
