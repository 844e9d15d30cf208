import Testing

@testable import FcsynthCore
@testable import FcsynthStages

@Suite struct ConversationJudgeTests {
    typealias C = ConversationFixtures

    /// The booking conversation, finished and checked, as the conversation stage hands it on.
    static func candidateItem() async throws -> WorkItem {
        let finished = try await StageHarness.step(
            MultiTurnConversationGenerator(), C.bookingAnswered, replies: [C.final])
        return try #require(finished.nextItem)
    }

    static func reply(_ scores: [JudgeCriterion: Int], reason: String = "Fine.") -> String {
        let fields = JudgeCriterion.allCases.map { criterion in
            "\"\(criterion.rawValue)\": {\"score\": \(scores[criterion] ?? 5), \"reason\": \"\(reason)\"}"
        }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    @Test func keepsAWellScoredRecordWithItsScoresInTheLineage() async throws {
        let item = try await Self.candidateItem()
        let step = try await StageHarness.step(
            ConversationJudge(), item, replies: [Self.reply([.userNatural: 4], reason: "Reads like a person.")])
        let record = try #require(step.record)
        let verdict = try #require(record.lineage.judge)
        #expect(verdict.threshold == 3)
        #expect(verdict.scores[.userNatural] == JudgeScore(score: 4, reason: "Reads like a person."))
        #expect(verdict.scores[.taskAccomplished]?.score == 5)
        #expect(record.lineage.checks?["judge"]?.outcome == .pass)
        #expect(record.messages == item.candidate?.messages)
        #expect(
            step.result.counters == [
                "judge_score:task_accomplished:5": 1, "judge_score:arguments_grounded:5": 1,
                "judge_score:final_answer_consistent:5": 1, "judge_score:user_natural:4": 1,
            ])
        // A verdict: temperature 0, its own call name.
        let request = try #require(step.requests.first)
        #expect(step.requests.count == 1)
        #expect(request.call == "judge")
        #expect(request.temperature == 0)
    }

    @Test func showsTheJudgeTheTaskFunctionsAndParsedDialogue() async throws {
        let item = try await Self.candidateItem()
        let step = try await StageHarness.step(ConversationJudge(), item, replies: [Self.reply([:])])
        let prompt = try #require(step.requests.first?.messages.last?.content)
        let data = try #require(PromptData.lastBlock(in: prompt))
        #expect(data["composition_task"]?.stringValue == StageFixtures.compositionTask)
        #expect(
            data["functions"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["search_flights", "book_flight"])
        #expect(data["sub_tasks"]?.arrayValue?.last?["functions"] == .array([.string("book_flight")]))
        let turns = try #require(data["conversation"]?.arrayValue)
        // No system prompt; results parsed, calls with parsed arguments.
        #expect(
            turns.compactMap { $0["role"]?.stringValue } == [
                "user", "assistant", "tool", "assistant", "tool", "assistant",
            ])
        #expect(turns[2]["result"]?["flight_id"]?.stringValue == "TP-1234")
        #expect(turns[1]["tool_calls"]?.arrayValue?.first?["arguments"]?["origin"]?.stringValue == "Lisbon")
        #expect(turns.last?["content"]?.stringValue?.contains("XK9P2L") == true)
        for criterion in JudgeCriterion.allCases {
            #expect(prompt.contains("\"\(criterion.rawValue)\""))
        }
    }

    @Test func filtersAScoreBelowTheThresholdNamingItAndItsReason() async throws {
        let item = try await Self.candidateItem()
        let step = try await StageHarness.step(
            ConversationJudge(), item,
            replies: [Self.reply([.finalAnswerConsistent: 2, .userNatural: 1], reason: "Contradicts the results.")])
        #expect(
            step.filteredReason
                == "judge: scored below 3: final_answer_consistent 2 (Contradicts the results.); user_natural 1 (Contradicts the results.)"
        )
        // A filtered item still counts in the histogram.
        #expect(step.result.counters["judge_score:user_natural:1"] == 1)
        #expect(step.result.counters.count == 4)
    }

    @Test func theThresholdIsTheRuns() async throws {
        let item = try await Self.candidateItem()
        let lenient = try await StageHarness.step(
            ConversationJudge(), item, replies: [Self.reply([.argumentsGrounded: 2])],
            settings: StageHarness.settings { $0.minJudgeScore = 2 })
        #expect(lenient.record?.lineage.judge?.threshold == 2)
        let strict = try await StageHarness.step(
            ConversationJudge(), item, replies: [Self.reply([.argumentsGrounded: 4])],
            settings: StageHarness.settings { $0.minJudgeScore = 5 })
        #expect(strict.filteredReason?.hasPrefix("judge: scored below 5: arguments_grounded 4") == true)
    }

    @Test func correctsAScoreOutOfRangeOrACriterionLeftOut() async throws {
        let item = try await Self.candidateItem()
        let outOfRange = Self.reply([.taskAccomplished: 7])
        let leftOut = #"{"task_accomplished": {"score": 5, "reason": "Done."}}"#
        let step = try await StageHarness.step(
            ConversationJudge(), item, replies: [outOfRange, leftOut, Self.reply([:])])
        #expect(step.record?.lineage.judge?.scores.count == 4)
        #expect(step.requests.count == 3)
        #expect(step.requests[1].messages.last?.content.contains("a whole number from 1 to 5, not 7") == true)
        #expect(step.requests[2].messages.last?.content.contains(#"lacks the key "arguments_grounded""#) == true)
    }

    @Test func readsAScoreSentAsAStringAndCountsTheRepair() async throws {
        let item = try await Self.candidateItem()
        let reply = Self.reply([:]).replacingOccurrences(
            of: #""score": 5, "reason": "Fine.""#, with: #""score": "4", "reason": "Fine.""#)
        let step = try await StageHarness.step(ConversationJudge(), item, replies: [reply])
        #expect(step.record?.lineage.judge?.scores.values.allSatisfy { $0.score == 4 } == true)
        #expect(step.result.repairs == ["number_from_string": 4])
    }

    @Test func givesUpOnAJudgeThatNeverAnswersInShape() async throws {
        let item = try await Self.candidateItem()
        let step = try await StageHarness.step(ConversationJudge(), item, replies: ["{}", "{}", "{}"])
        #expect(step.filteredReason?.hasPrefix("judge: no usable reply after 3 attempts") == true)
        #expect(step.result.counters.isEmpty)
    }

    @Test func filtersAnItemWithNothingToJudge() async throws {
        let step = try await StageHarness.step(ConversationJudge(), C.bookingAnswered, replies: [])
        #expect(step.filteredReason == "judge: the item has no conversation to judge")
    }

    @Test func passesModelErrorsOn() async throws {
        let item = try await Self.candidateItem()
        await #expect(throws: LLMError.self) {
            _ = try await ConversationJudge().process(
                item,
                context: StageContext(
                    run: "r1", settings: PipelineSettings(),
                    llm: FailingLLM(error: .httpStatus(503, message: "down", retryAfter: nil))))
        }
    }

    @Test func verdictsKeepTheirScoresThroughJSON() throws {
        let verdict = JudgeVerdict(
            scores: Dictionary(
                uniqueKeysWithValues: JudgeCriterion.allCases.map { ($0, JudgeScore(score: 3, reason: "ok")) }),
            threshold: 3)
        let text = try JSONCoding.encodeString(verdict)
        #expect(text.contains(#""task_accomplished":{"reason":"ok","score":3}"#))
        #expect(try JSONCoding.decode(JudgeVerdict.self, from: text) == verdict)
        #expect(throws: (any Error).self) {
            try JSONCoding.decode(
                JudgeVerdict.self, from: #"{"scores": {"vibes": {"score": 5, "reason": "x"}}, "threshold": 3}"#)
        }
    }
}
