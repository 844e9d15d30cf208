import Testing

@testable import FcsynthCore
@testable import FcsynthSimulatedLLM

/// Whole items through every stage on the simulated model, as the pipeline runs them.
@Suite struct PipelineOnSimulatorTests {
    static func seeds(_ count: Int) -> [WorkItem] {
        (1...count).map {
            WorkItem(id: "\($0)", line: $0, seed: "user: question number \($0) about my plans\nassistant: Let me help.")
        }
    }

    static func settings(_ composition: CompositionSetting, expansions: Int = 2) -> PipelineSettings {
        StageHarness.settings {
            $0.composition = composition
            $0.scenarioExpansions = expansions
        }
    }

    @Test(arguments: [CompositionSetting.sequential, .paraSeq])
    func producesValidConversations(composition: CompositionSetting) async throws {
        let llm = RecordingLLM(SimulatedLLM())
        let run = try await StageRunner(settings: Self.settings(composition), llm: llm).run(Self.seeds(12))
        let mode = try #require(CompositionMode(rawValue: composition.rawValue))

        #expect(run.retried.isEmpty)
        #expect(run.steps[.scenarioExpand] == 12)
        #expect(run.steps[.atomTask] == 36)
        #expect(run.records.count + run.filtered.count == 36)
        #expect(run.records.count >= 30)
        #expect(run.filtered.allSatisfy { $0.hasPrefix("composition_filter: infeasible: ") })
        for record in run.records {
            #expect(ConversationValidator.validate(record).isEmpty, "\(record.id)")
            #expect(record.lineage.compositionMode == mode)
            #expect(record.lineage.subTasks.count == (mode == .sequential ? 2 : 3))
            #expect(record.id.contains(".e"))
            #expect(record.messages.filter { $0.role == .assistant }.first?.content?.contains("1.") == true)
            #expect(!record.tools.isEmpty)
        }
        #expect(Set(run.records.map(\.id)).count == run.records.count)
        #expect(Set(run.records.map(\.lineage.scenario)).count >= 6)

        let calls = await llm.calls
        let composing = mode == .sequential ? "sequential_task" : "para_seq_task"
        #expect(
            Set(calls.keys) == [
                "scenario_extract", "scenario_expand", "atom_task", composing, "composition_filter",
                "function_gen", "conv_user", "conv_assistant", "conv_tool", "judge",
            ])
        // One opening request per conversation, and one answer per question the assistant asked.
        let questions = run.records.map { record in
            record.messages.dropLast().filter { $0.role == .assistant && ($0.toolCalls ?? []).isEmpty }.count
        }.reduce(0, +)
        #expect(calls["conv_user"] == run.records.count + questions)
        #expect(questions > 0)
        #expect(await llm.jsonModes == [true])
        #expect(run.llmCalls == calls.values.reduce(0, +))
    }

    @Test func isDeterministic() async throws {
        let first = try await StageRunner(settings: Self.settings(.mixed)).run(Self.seeds(8))
        let second = try await StageRunner(settings: Self.settings(.mixed)).run(Self.seeds(8))
        #expect(first.records == second.records)
        #expect(first.filtered == second.filtered)
        #expect(Set(first.records.map(\.lineage.compositionMode)) == [.sequential, .paraSeq])
    }

    @Test func callsInParallelOnlyWhenAllowed() async throws {
        var settings = Self.settings(.paraSeq, expansions: 0)
        let parallel = try await StageRunner(settings: settings).run(Self.seeds(10))
        let widest = { (run: StageRunner.Run) in
            run.records.flatMap(\.messages).map { $0.toolCalls?.count ?? 0 }.max() ?? 0
        }
        #expect(widest(parallel) == 2)

        settings.parallelToolCalls = false
        let serial = try await StageRunner(settings: settings).run(Self.seeds(10))
        #expect(widest(serial) == 1)
        #expect(serial.records.count == parallel.records.count)
        #expect(serial.records.allSatisfy { ConversationValidator.validate($0).isEmpty })
    }

    @Test func fansOutAtomicTasks() async throws {
        let settings = StageHarness.settings {
            $0.atomTasksPerScenario = 3
            $0.composition = .sequential
        }
        let run = try await StageRunner(settings: settings).run(Self.seeds(4))
        #expect(run.records.count + run.filtered.count == 12)
        #expect(run.records.allSatisfy { $0.id.range(of: #"^\d+\.a[0-2]$"#, options: .regularExpression) != nil })
    }
}

extension PipelineOnSimulatorTests {
    @Test func failedCallsAreOwnedUpToAndPassTheChecks() async throws {
        var settings = Self.settings(.mixed, expansions: 0)
        settings.toolErrorRate = 0.3
        let run = try await StageRunner(settings: settings).run(Self.seeds(24))
        let failing = run.records.filter { !($0.lineage.toolErrors ?? []).isEmpty }
        #expect(failing.count >= 3, "\(failing.count) of \(run.records.count) records met a failed call")
        #expect(failing.count < run.records.count)
        for record in failing {
            #expect(ConversationValidator.validate(record).isEmpty, "\(record.id)")
            #expect(record.lineage.checks?.values.allSatisfy { $0.outcome == .pass } == true, "\(record.id)")
            let failed = Set(record.lineage.toolErrors ?? [])
            for message in record.messages where message.role == .tool && failed.contains(message.toolCallId ?? "") {
                let code = JSONParser.parse(message.content ?? "")?["error"]?["code"]?.stringValue
                #expect(code.flatMap(ToolErrorKind.init(rawValue:)) != nil, "\(message)")
            }
            #expect(record.messages.last?.content?.contains("could not") == true)
        }
    }
}
