import Testing

@testable import FcsynthCore
@testable import FcsynthSimulatedLLM
@testable import FcsynthStages

/// The simulated judge reads the conversation it is shown: a sound one scores 4 or 5, and each
/// edit below costs the criterion it breaks.
@Suite struct SimulatedJudgeTests {
    typealias C = ConversationFixtures

    static func verdict(editing edit: (inout ConversationRecord) -> Void = { _ in }) async throws -> JudgeVerdict? {
        var item = try await ConversationJudgeTests.candidateItem()
        edit(&item.candidate!)
        let context = StageContext(run: "r1", settings: PipelineSettings(), llm: SimulatedLLM())
        let result = try await ConversationJudge().process(item, context: context)
        switch result.outcome {
        case .output(let record): return record.lineage.judge
        case .filtered(let reason):
            Issue.record("filtered: \(reason)")
            return nil
        default: return nil
        }
    }

    static func scores(editing edit: (inout ConversationRecord) -> Void) async throws -> [JudgeCriterion: Int] {
        var item = try await ConversationJudgeTests.candidateItem()
        edit(&item.candidate!)
        let reply = SimulatedLLM().reply(
            to: ChatRequest(call: "judge", messages: ConversationJudge.prompt(item.candidate!)))
        let parsed = try ConversationJudge.scores(in: try #require(JSONParser.parse(reply)))
        return parsed.scores.mapValues(\.score)
    }

    @Test func aSoundConversationScoresFourOrFive() async throws {
        let verdict = try #require(try await Self.verdict())
        #expect(verdict.scores.values.allSatisfy { (4...5).contains($0.score) }, "\(verdict)")
    }

    @Test func aFinalAnswerClaimingFailureCostsConsistency() async throws {
        let scores = try await Self.scores { $0.messages[$0.messages.count - 1].content = "Sorry, nothing was found." }
        #expect(scores[.finalAnswerConsistent] == 2)
        #expect(scores[.userNatural]! >= 4)
    }

    @Test func aUserNamingAFunctionCostsNaturalness() async throws {
        let scores = try await Self.scores { $0.messages[1].content = "Call search_flights for Lisbon to Oslo." }
        #expect(scores[.userNatural] == 2)
    }

    @Test func aSkippedStepCostsTheTask() async throws {
        let scores = try await Self.scores { record in
            record.messages =
                Array(record.messages.prefix(4))
                + [OutputMessage(role: .assistant, content: "TP-1234 costs 89.5 euros.")]
        }
        #expect(scores[.taskAccomplished] == 2)
    }

    @Test func anInventedArgumentCostsGrounding() async throws {
        let scores = try await Self.scores { record in
            record.messages[4].toolCalls = [
                ToolCall(
                    id: "call_2", name: "book_flight",
                    arguments: #"{"flight_id":"TP-1234","passenger_name":"Max Mustermann"}"#)
            ]
        }
        #expect(scores[.argumentsGrounded] == 2)
    }
}
