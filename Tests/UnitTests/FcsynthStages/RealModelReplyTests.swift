import Testing

@testable import FcsynthCore
@testable import FcsynthStages

/// Replies of the kinds real models send and the simulator never does, recorded as they come:
/// each is used as meant, with its repair counted, or corrected when its meaning is unsure.
@Suite struct RealModelReplyTests {
    typealias F = StageFixtures
    typealias C = ConversationFixtures

    @Test func theAnswerFollowsTheReasoningNeverADraftInsideIt() async throws {
        let reply = """
            <think>
            The user wants a scenario. Maybe {"scenario": "a draft inside the reasoning"}? No, shorter.
            </think>
            {"scenario": "booking flights for a trip"}
            """
        let step = try await StageHarness.step(ScenarioExtractor(), F.seeded, replies: [reply])
        #expect(step.nextItem?.scenario == "booking flights for a trip")
        #expect(step.result.llmCalls == 1)
        #expect(step.result.repairs == ["reasoning_removed": 1])
    }

    @Test func reasoningThatNeverClosesIsCorrected() async throws {
        let cut = #"<think>I should answer {"scenario": "a draft"} but first"#
        let step = try await StageHarness.step(
            ScenarioExtractor(), F.seeded, replies: [cut, #"{"scenario": "booking flights for a trip"}"#])
        #expect(step.result.llmCalls == 2)
        #expect(step.requests[1].messages.last?.content.contains("holds only reasoning") == true)
        #expect(step.nextItem?.scenario == "booking flights for a trip")
        #expect(step.result.repairs.isEmpty)
    }

    @Test(arguments: [
        (#"{"scenario": "booking flights for a trip",}"#, "trailing_commas"),
        (#"{'scenario': 'booking flights for a trip'}"#, "single_quotes"),
        (#"Here's the answer: {'scenario': "booking flights for a trip"}"#, "single_quotes"),
        (#"[{"scenario": "booking flights for a trip"}]"#, "array_unwrapped"),
        ("```json\n[{\"scenario\": \"booking flights for a trip\"}]\n```", "array_unwrapped"),
    ])
    func almostJSONIsRepairedWhereItsMeaningIsCertain(reply: String, repair: String) async throws {
        let step = try await StageHarness.step(ScenarioExtractor(), F.seeded, replies: [reply])
        #expect(step.nextItem?.scenario == "booking flights for a trip")
        #expect(step.result.repairs == [repair: 1])
    }

    @Test func aListOfSeveralObjectsIsNotGuessedAt() async throws {
        let two = #"[{"scenario": "booking flights"}, {"scenario": "hotels"}]"#
        let step = try await StageHarness.step(
            ScenarioExtractor(), F.seeded, replies: [two, #"{"scenario": "booking flights for a trip"}"#])
        #expect(step.result.llmCalls == 2)
        #expect(step.requests[1].messages.last?.content.contains("JSON array, not an object") == true)
    }

    @Test(arguments: [
        "Step 1: search the flights. Step 2: book the cheapest.",
        "First:\n- search the flights\n- book the cheapest",
        "1) search the flights 2) book the cheapest",
    ])
    func aPlanMayBeWrittenAsStepsOrAList(thought: String) async throws {
        let reply = JSONValue.object([
            "thought": .string(thought),
            "tool_calls": .array([
                .object([
                    "name": .string("search_flights"),
                    "arguments": .object(["origin": .string("Lisbon"), "destination": .string("Oslo")]),
                ])
            ]),
        ])
        let step = try await StageHarness.step(
            MultiTurnConversationGenerator(), C.userOpened, replies: [PromptData.serialize(reply)])
        #expect(step.result.llmCalls == 1)
        #expect(step.nextItem?.conversation?.messages.last?.toolCalls?.first?.function.name == "search_flights")
    }

    @Test func anEmptyFinalBesideCallsIsNoAction() async throws {
        let reply =
            #"{"thought": "Plan:\n1. Search.\n2. Book.", "tool_calls": [{"name": "search_flights", "arguments": {"origin": "Lisbon", "destination": "Oslo"}}], "final": ""}"#
        let step = try await StageHarness.step(MultiTurnConversationGenerator(), C.userOpened, replies: [reply])
        #expect(step.result.llmCalls == 1)
        #expect(step.nextItem?.conversation?.messages.last?.toolCalls?.count == 1)
    }

    @Test func numbersSentAsStringsAreReadAsNumbersAndCounted() async throws {
        let reply = C.calls(
            #"[{"name": "search_flights", "arguments": {"origin": "Lisbon", "destination": "Oslo", "max_stops": "1"}}]"#
        )
        let step = try await StageHarness.step(MultiTurnConversationGenerator(), C.userOpened, replies: [reply])
        let call = try #require(step.nextItem?.conversation?.messages.last?.toolCalls?.first)
        #expect(JSONParser.parse(call.function.arguments)?["max_stops"] == .number(1))
        #expect(step.result.repairs == ["number_from_string": 1])
    }

    @Test func aNumberThatWouldLoseItsFractionIsNotCoerced() async throws {
        let lossy = C.calls(
            #"[{"name": "search_flights", "arguments": {"origin": "Lisbon", "destination": "Oslo", "max_stops": "1.5"}}]"#
        )
        let step = try await StageHarness.step(
            MultiTurnConversationGenerator(), C.userOpened, replies: [lossy, C.planWithSearch])
        #expect(step.result.llmCalls == 2)
        #expect(step.requests[1].messages.last?.content.contains("$.arguments.max_stops: expected integer") == true)
    }

    @Test func aToolResultsExtraKeyIsDroppedAndCounted() async throws {
        let reply = #"{"result": {"flight_id": "TP-1234", "price": "89.5", "airline": "TAP"}}"#
        let step = try await StageHarness.step(MultiTurnConversationGenerator(), C.searchCalled, replies: [reply])
        #expect(step.nextItem?.conversation?.messages.last?.content == C.searchResult)
        #expect(step.result.repairs == ["extra_key_dropped": 1, "number_from_string": 1])
    }

    @Test func aParaphrasedSubTaskKeepsItsPlaceAndTheItemsWording() async throws {
        let reply = F.functionsReply([
            ("Look for the cheapest economy flight Lisbon to Oslo, 14 March 2025", [F.searchFlights]),
            ("Reserve a seat on it for Anna Weber", [F.bookFlight]),
        ])
        let step = try await StageHarness.step(FunctionGenerator(), F.composed, replies: [reply])
        #expect(step.result.llmCalls == 1)
        #expect(step.nextItem?.subTasks?.map(\.task) == [F.atomTask, F.subsequentTask])
        #expect(step.nextItem?.subTasks?.map { $0.functions.map(\.name) } == [["search_flights"], ["book_flight"]])
    }
}
