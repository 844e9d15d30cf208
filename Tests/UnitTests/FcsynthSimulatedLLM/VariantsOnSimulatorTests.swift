import Testing

@testable import FcsynthCore
@testable import FcsynthSimulatedLLM
@testable import FcsynthStages
@testable import FcsynthVerification

/// Whole items through every stage on the simulated model with a share of each variant: the
/// simulator plays them (it owns up to the withheld part, it asks for the left-out detail) and
/// every record passes its checks and the judge.
@Suite struct VariantsOnSimulatorTests {
    static func run(_ count: Int, distractors: [FunctionDefinition] = []) async throws -> StageRunner.Run {
        let settings = StageHarness.settings {
            $0.composition = .mixed
            $0.irrelevanceRatio = 0.3
            $0.clarifyRatio = 0.3
        }
        return try await StageRunner(settings: settings).run(
            PipelineOnSimulatorTests.seeds(count), distractors: distractors)
    }

    @Test func everyVariantAppearsAndPassesItsChecks() async throws {
        let run = try await Self.run(40)
        #expect(run.filtered.allSatisfy { $0.hasPrefix("composition_filter: infeasible: ") }, "\(run.filtered)")
        let byVariant = Dictionary(grouping: run.records) { $0.lineage.variant }
        #expect(Set(byVariant.keys) == [.standard, .irrelevance, .clarify])
        for variant in ItemVariant.allCases {
            #expect((byVariant[variant]?.count ?? 0) >= 5, "\(variant): \(byVariant[variant]?.count ?? 0)")
        }
        for record in run.records {
            #expect(ConversationValidator.validate(record).isEmpty, "\(record.id)")
            let failing = (record.lineage.checks ?? [:]).filter { $0.value.outcome == .fail }
            #expect(failing.isEmpty, "\(record.id): \(failing)")
            // Checked again from the record alone, as `fcsynth check` would.
            #expect(ConversationVerifier.verify(VerifiableConversation(record)).passed, "\(record.id)")
            #expect(record.lineage.judge != nil)
        }
    }

    @Test func irrelevanceRecordsLackTheWithheldFunctionAndSaySo() async throws {
        let records = try await Self.run(40).records.filter { $0.lineage.variant == .irrelevance }
        #expect(!records.isEmpty)
        for record in records {
            let withheld = try #require(record.lineage.withheldFunction)
            // The oracle: the function the plan names that the tools do not hold.
            let planned = Set((record.lineage.subTaskFunctions ?? []).flatMap { $0 })
            #expect(planned.subtracting(record.tools.map(\.function.name)) == [withheld])
            let called = record.messages.flatMap { $0.toolCalls ?? [] }.map(\.function.name)
            #expect(!called.contains(withheld))
            #expect(!called.isEmpty)
            #expect(record.messages.last?.content?.contains("could not") == true)
        }
    }

    @Test func clarifyRecordsAskBeforeTheCallThatNeedsTheDetail() async throws {
        let records = try await Self.run(40).records.filter { $0.lineage.variant == .clarify }
        #expect(!records.isEmpty)
        for record in records {
            let detail = try #require(record.lineage.withheldDetail)
            let call = try #require(
                record.messages.firstIndex { ($0.toolCalls ?? []).contains { $0.function.name == detail.function } })
            let question = try #require(
                record.messages.firstIndex { $0.role == .assistant && ($0.toolCalls ?? []).isEmpty })
            #expect(question < call)
            #expect(record.messages[question + 1].role == .user)
            let value = try #require(
                record.messages[call].toolCalls?.first { $0.function.name == detail.function }
                    .flatMap { JSONParser.parse($0.function.arguments)?[detail.parameter] })
            let opening = try #require(record.messages.first { $0.role == .user }?.content)
            if let text = value.stringValue { #expect(!opening.contains(text), "\(record.id): \(opening)") }
        }
    }

    @Test func distractorsAreShownAndNeverCalled() async throws {
        let distractors = [SimulatedLLM.weatherForecast, SimulatedLLM.exchangeRate].map { function in
            var function = function
            function.name = "other_" + function.name
            return function
        }
        let run = try await Self.run(16, distractors: distractors)
        #expect(!run.records.isEmpty)
        for record in run.records {
            let tools = Set(record.tools.map(\.function.name))
            #expect(tools.isSuperset(of: distractors.map(\.name)))
            #expect(Set(record.lineage.distractors ?? []) == Set(distractors.map(\.name)))
            let called = Set(record.messages.flatMap { $0.toolCalls ?? [] }.map(\.function.name))
            #expect(called.isDisjoint(with: distractors.map(\.name)))
            #expect(record.lineage.checks?["distractor_call"]?.outcome == .pass)
        }
    }
}
