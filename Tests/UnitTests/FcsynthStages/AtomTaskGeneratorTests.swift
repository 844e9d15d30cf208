import Foundation
import Testing

@testable import FcsynthCore
@testable import FcsynthStages

@Suite struct AtomTaskGeneratorTests {
    let good = #"{"atom_tasks": ["Find the cheapest economy flight from Lisbon to Oslo on 14 March 2025."]}"#

    @Test(arguments: ReplyForm.allCases)
    func keepsTheIdForOneTask(form: ReplyForm) async throws {
        let settings = StageHarness.settings { $0.composition = .sequential }
        let step = try await StageHarness.step(
            AtomTaskGenerator(), StageFixtures.withScenario, replies: [form.wrap(good)], settings: settings)
        let item = try #require(step.nextItem)
        #expect(step.next.map(\.stage) == [.sequentialTask])
        #expect(item.id == "17")
        #expect(item.atomTask == StageFixtures.atomTask)
        #expect(item.compositionMode == .sequential)
    }

    @Test func fansOutSeveralTasks() async throws {
        let settings = StageHarness.settings {
            $0.atomTasksPerScenario = 2
            $0.composition = .paraSeq
        }
        var item = StageFixtures.withScenario
        item.id = "17.e0"
        let reply =
            #"{"atom_tasks": ["Find flights from Lisbon to Oslo on 14 March 2025.", "Find flights from Oslo to Rome on 2 May 2025.", "A third."]}"#
        let step = try await StageHarness.step(AtomTaskGenerator(), item, replies: [reply], settings: settings)
        #expect(step.next.map(\.item.id) == ["17.e0.a0", "17.e0.a1"])
        #expect(step.next.map(\.stage) == [.paraSeqTask, .paraSeqTask])
        #expect(
            step.next.map(\.item.atomTask) == [
                "Find flights from Lisbon to Oslo on 14 March 2025.", "Find flights from Oslo to Rome on 2 May 2025.",
            ])
        #expect(step.requests.first?.messages.last?.content.contains(#""count":2"#) == true)
    }

    @Test func mixedCompositionFollowsTheItemId() {
        let settings = StageHarness.settings {
            $0.composition = .mixed
            $0.paraSeqRatio = 0.3
        }
        let modes = (0..<2000).map { CompositionMode.choice(for: "\($0)", settings: settings) }
        let share = Double(modes.filter { $0 == .paraSeq }.count) / Double(modes.count)
        #expect(abs(share - 0.3) < 0.05)
        #expect((0..<50).allSatisfy { CompositionMode.choice(for: "\($0)", settings: settings) == modes[$0] })
        #expect(
            CompositionMode.choice(for: "1", settings: StageHarness.settings { $0.paraSeqRatio = 0 }) == .sequential)
        #expect(CompositionMode.choice(for: "1", settings: StageHarness.settings { $0.paraSeqRatio = 1 }) == .paraSeq)
    }

    /// Runs stored before the setting was an enum decode as they were; a setting no enqueue
    /// could write leaves the run unreadable, which workers skip and report.
    @Test func compositionSettingsKeepTheirStoredSpelling() throws {
        for (text, setting) in [
            ("sequential", CompositionSetting.sequential), ("para_seq", .paraSeq), ("mixed", .mixed),
        ] {
            var settings = PipelineSettings()
            settings.composition = setting
            let stored = try JSONCoding.encodeString(settings)
            #expect(stored.contains(#""composition":"\#(text)""#))
            #expect(try JSONCoding.decode(PipelineSettings.self, from: stored) == settings)
            #expect(try JSONDecoder().decode(PipelineSettings.self, from: Data(stored.utf8)) == settings)
        }
        let unknown = try JSONCoding.encodeString(PipelineSettings()).replacingOccurrences(
            of: #""mixed""#, with: #""parallel""#)
        #expect(throws: DecodingError.self) { try JSONCoding.decode(PipelineSettings.self, from: unknown) }
    }

    @Test func correctsLongTasksAndWrongShapes() async throws {
        let long = "{\"atom_tasks\": [\"" + Array(repeating: "word", count: 50).joined(separator: " ") + "\"]}"
        let step = try await StageHarness.step(
            AtomTaskGenerator(), StageFixtures.withScenario,
            replies: [long, #"{"atom_tasks": [3]}"#, malformedReply])
        #expect(step.result.llmCalls == 3)
        #expect(step.requests[1].messages.last?.content.contains("has 50 words") == true)
        #expect(
            step.requests[2].messages.last?.content.contains("atom_tasks[0] in reply must be a non-empty string")
                == true)
        #expect(step.filteredReason?.hasPrefix("atom_task: no usable reply after 3 attempts: ") == true)
    }
}
