import Testing

@testable import FcsynthCore
@testable import FcsynthStages

@Suite struct ScenarioExtractorTests {
    let good = #"{"scenario": "booking flights for a trip"}"#

    @Test(arguments: ReplyForm.allCases)
    func acceptsReply(form: ReplyForm) async throws {
        let step = try await StageHarness.step(ScenarioExtractor(), StageFixtures.seeded, replies: [form.wrap(good)])
        let item = try #require(step.nextItem)
        #expect(step.next.map(\.stage) == [.atomTask])
        #expect(item.scenario == "booking flights for a trip")
        #expect(item.seed == nil)
        #expect(item.id == "17")
        #expect(step.result.llmCalls == 1)
        #expect(step.result.usage == TokenUsage(promptTokens: 10, completionTokens: 5))
    }

    @Test func routesToExpansionWhenEnabled() async throws {
        let settings = StageHarness.settings { $0.scenarioExpansions = 2 }
        let step = try await StageHarness.step(
            ScenarioExtractor(), StageFixtures.seeded, replies: [good], settings: settings)
        #expect(step.next.map(\.stage) == [.scenarioExpand])
    }

    @Test func asksTheCallWithSettings() async throws {
        let settings = StageHarness.settings {
            $0.jsonMode = false
            $0.temperature = 0.2
            $0.maxTokens = 300
        }
        let step = try await StageHarness.step(
            ScenarioExtractor(), StageFixtures.seeded, replies: [good], settings: settings)
        let request = try #require(step.requests.first)
        #expect(request.call == "scenario_extract")
        #expect(request.jsonMode == false)
        #expect(request.temperature == 0.2)
        #expect(request.maxTokens == 300)
        #expect(request.messages.last?.content.contains(#""seed_chat":"user: I need to get to Oslo"#) == true)
    }

    @Test func correctsMalformedReplyWithTheError() async throws {
        let step = try await StageHarness.step(
            ScenarioExtractor(), StageFixtures.seeded, replies: [malformedReply, good])
        #expect(step.nextItem?.scenario == "booking flights for a trip")
        #expect(step.result.llmCalls == 2)
        #expect(step.result.usage == TokenUsage(promptTokens: 20, completionTokens: 10))
        let retry = try #require(step.requests.last)
        let first = try #require(step.requests.first)
        #expect(retry.messages.count == first.messages.count + 2)
        #expect(retry.messages[retry.messages.count - 2] == .assistant(malformedReply))
        #expect(retry.messages.last?.role == .user)
        #expect(retry.messages.last?.content.hasPrefix("Your reply cannot be used: ") == true)
    }

    @Test func filtersWrongShapeAfterCorrections() async throws {
        let wrong = #"{"scenarios": ["booking flights"]}"#
        let step = try await StageHarness.step(
            ScenarioExtractor(), StageFixtures.seeded, replies: [wrong, wrong, wrong])
        #expect(step.result.llmCalls == 3)
        let reason = try #require(step.filteredReason)
        #expect(reason == #"scenario_extract: no usable reply after 3 attempts: reply lacks the key "scenario""#)
        #expect(step.requests.last?.messages.last?.content.contains(#"reply lacks the key "scenario""#) == true)
    }

    @Test func honoursMaxCorrections() async throws {
        let settings = StageHarness.settings { $0.maxCorrections = 0 }
        let step = try await StageHarness.step(
            ScenarioExtractor(), StageFixtures.seeded, replies: [#"{"scenario": 3}"#], settings: settings)
        #expect(step.result.llmCalls == 1)
        #expect(
            step.filteredReason
                == #"scenario_extract: no usable reply after 1 attempt: "scenario" in reply must be a string, not integer"#
        )
    }

    @Test func rejectsEmptyAndLongScenarios() async throws {
        let long =
            #"{"scenario": "booking cheap flights from Lisbon to Oslo for my whole family on the fourteenth of March"}"#
        let step = try await StageHarness.step(
            ScenarioExtractor(), StageFixtures.seeded,
            replies: [#"{"scenario": "  "}"#, long, good])
        #expect(step.result.llmCalls == 3)
        #expect(step.nextItem?.scenario == "booking flights for a trip")
        #expect(step.requests[1].messages.last?.content.contains(#""scenario" in reply is empty"#) == true)
        #expect(step.requests[2].messages.last?.content.contains("has 16 words") == true)
    }

    @Test func retriesTheTaskOnAnEmptyReply() async throws {
        let llm = ScriptedLLM(responses: [ChatResponse(content: " ", finishReason: nil)])
        let result = try await ScenarioExtractor().process(
            StageFixtures.seeded, context: StageContext(run: "r", settings: PipelineSettings(), llm: llm))
        #expect(
            result.outcome == .retry(reason: "scenario_extract: empty reply (finish_reason none)", kind: "empty_reply"))
        #expect(result.llmCalls == 1)
    }

    @Test func namesTheTokenLimitWhenACutReplyFails() async throws {
        let llm = ScriptedLLM(responses: [
            ChatResponse(content: #"{"scenario": "book"#, finishReason: "length"),
            ChatResponse(content: good),
        ])
        let result = try await ScenarioExtractor().process(
            StageFixtures.seeded, context: StageContext(run: "r", settings: PipelineSettings(), llm: llm))
        #expect(result.llmCalls == 2)
        let correction = try #require(await llm.requests.last?.messages.last?.content)
        #expect(correction.contains("cut off at the token limit"))
    }

    @Test func passesModelErrorsOn() async throws {
        let error = LLMError.httpStatus(503, message: "overloaded", retryAfter: 2)
        await #expect(throws: error) {
            try await ScenarioExtractor().process(
                StageFixtures.seeded,
                context: StageContext(run: "r", settings: PipelineSettings(), llm: FailingLLM(error: error)))
        }
    }

    @Test func filtersAnItemWithoutSeed() async throws {
        let step = try await StageHarness.step(ScenarioExtractor(), WorkItem(id: "1", line: 1), replies: [])
        #expect(step.filteredReason == "scenario_extract: the item has no seed chat")
        #expect(step.requests.isEmpty)
    }
}
