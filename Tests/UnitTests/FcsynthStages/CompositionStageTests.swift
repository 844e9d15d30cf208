import Testing

@testable import FcsynthCore
@testable import FcsynthStages

@Suite struct SequentialTaskGeneratorTests {
    let good =
        #"{"subsequent_task": "Book a seat on that flight for Anna Weber.", "composition_task": "Book Anna Weber on the cheapest economy flight from Lisbon to Oslo on 14 March 2025."}"#

    @Test(arguments: ReplyForm.allCases)
    func composesTwoSubTasks(form: ReplyForm) async throws {
        let step = try await StageHarness.step(
            SequentialTaskGenerator(), StageFixtures.withAtomTask, replies: [form.wrap(good)])
        let item = try #require(step.nextItem)
        #expect(step.next.map(\.stage) == [.compositionFilter])
        #expect(item.compositionMode == .sequential)
        #expect(item.subsequentTask == StageFixtures.subsequentTask)
        #expect(item.compositionTask == StageFixtures.compositionTask)
        #expect(item.subTasks == [SubTask(task: StageFixtures.atomTask), SubTask(task: StageFixtures.subsequentTask)])
        #expect(step.requests.first?.call == "sequential_task")
    }

    @Test func correctsACompositionThatOnlyRepeatsTheAtomicTask() async throws {
        let lazy = "{\"subsequent_task\": \"Book it.\", \"composition_task\": \"\(StageFixtures.atomTask)\"}"
        let step = try await StageHarness.step(
            SequentialTaskGenerator(), StageFixtures.withAtomTask, replies: [lazy, malformedReply, good])
        #expect(step.result.llmCalls == 3)
        #expect(step.nextItem?.compositionTask == StageFixtures.compositionTask)
        #expect(step.requests[1].messages.last?.content.contains("only repeats the sub-task") == true)
    }

    @Test func filtersWrongShape() async throws {
        let wrong = #"{"subsequent_task": "Book it."}"#
        let step = try await StageHarness.step(
            SequentialTaskGenerator(), StageFixtures.withAtomTask, replies: [wrong, wrong, wrong])
        #expect(
            step.filteredReason
                == #"sequential_task: no usable reply after 3 attempts: reply lacks the key "composition_task""#)
    }
}

@Suite struct ParaSeqTaskGeneratorTests {
    let good =
        #"{"parallel_task": "Get the weather forecast for Oslo on 14 March 2025.", "subsequent_task": "Book a seat on that flight for Anna Weber.", "composition_task": "Check the Oslo weather on 14 March 2025 and book Anna Weber on the cheapest flight there from Lisbon that day."}"#

    @Test(arguments: ReplyForm.allCases)
    func composesThreeSubTasksInOrder(form: ReplyForm) async throws {
        var input = StageFixtures.withAtomTask
        input.compositionMode = .paraSeq
        let step = try await StageHarness.step(ParaSeqTaskGenerator(), input, replies: [form.wrap(good)])
        let item = try #require(step.nextItem)
        #expect(step.next.map(\.stage) == [.compositionFilter])
        #expect(item.compositionMode == .paraSeq)
        #expect(item.parallelTask == StageFixtures.parallelTask)
        #expect(
            item.subTasks?.map(\.task) == [
                StageFixtures.atomTask, StageFixtures.parallelTask, StageFixtures.subsequentTask,
            ])
        #expect(step.requests.first?.call == "para_seq_task")
    }

    @Test func correctsAMissingParallelTaskThenFilters() async throws {
        let sequentialShape = #"{"subsequent_task": "Book it.", "composition_task": "Book the flight."}"#
        let same =
            #"{"parallel_task": "Book it.", "subsequent_task": "book it.", "composition_task": "Book the flight."}"#
        let step = try await StageHarness.step(
            ParaSeqTaskGenerator(), StageFixtures.withAtomTask, replies: [sequentialShape, malformedReply, same])
        #expect(step.result.llmCalls == 3)
        #expect(step.requests[1].messages.last?.content.contains(#"reply lacks the key "parallel_task""#) == true)
        #expect(step.filteredReason?.hasSuffix(#""parallel_task" and "subsequent_task" are the same task"#) == true)
    }
}

@Suite struct CompositionTaskFilterTests {
    @Test(arguments: ReplyForm.allCases)
    func keepsFeasibleItems(form: ReplyForm) async throws {
        let reply = #"{"analysis": "The search gives the flight the booking needs.", "feasible": true}"#
        let step = try await StageHarness.step(
            CompositionTaskFilter(), StageFixtures.composed, replies: [form.wrap(reply)])
        #expect(step.next.map(\.stage) == [.functionGen])
        #expect(step.nextItem?.feasibilityAnalysis == "The search gives the flight the booking needs.")
        let prompt = try #require(step.requests.first?.messages.last?.content)
        #expect(prompt.contains(#""sub_tasks":["Find the cheapest economy flight"#))
    }

    @Test func filtersInfeasibleItemsWithTheReason() async throws {
        let reply = #"{"analysis": "The passenger's name is missing.", "feasible": false}"#
        let step = try await StageHarness.step(CompositionTaskFilter(), StageFixtures.composed, replies: [reply])
        #expect(step.filteredReason == "composition_filter: infeasible: The passenger's name is missing.")
        #expect(step.result.llmCalls == 1)
    }

    @Test func correctsAVerdictThatIsNotABoolean() async throws {
        let words = #"{"analysis": "Fine.", "feasible": "yes"}"#
        let step = try await StageHarness.step(
            CompositionTaskFilter(), StageFixtures.composed,
            replies: [words, malformedReply, #"{"feasible": true}"#])
        #expect(
            step.requests[1].messages.last?.content.contains(#""feasible" in reply must be true or false, not string"#)
                == true)
        #expect(
            step.filteredReason
                == #"composition_filter: no usable reply after 3 attempts: reply lacks the key "analysis""#)
    }
}
