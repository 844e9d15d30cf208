import Testing

@testable import FcsynthCore
@testable import FcsynthStages

@Suite struct FunctionGeneratorTests {
    typealias F = StageFixtures
    let good = F.functionsReply([(F.atomTask, [F.searchFlights]), (F.subsequentTask, [F.bookFlight])])

    @Test(arguments: ReplyForm.allCases)
    func attachesFunctionsToSubTasks(form: ReplyForm) async throws {
        let step = try await StageHarness.step(FunctionGenerator(), F.composed, replies: [form.wrap(good)])
        let item = try #require(step.nextItem)
        #expect(step.next.map(\.stage) == [.conversation])
        #expect(
            item.subTasks == [
                SubTask(task: F.atomTask, functions: [F.searchFlights]),
                SubTask(task: F.subsequentTask, functions: [F.bookFlight]),
            ])
        #expect(item.conversation == ConversationState())
        #expect(step.requests.first?.call == "function_gen")
    }

    @Test func acceptsALogicSubTaskWithoutFunctions() async throws {
        let reply = F.functionsReply([(F.atomTask.lowercased(), [F.searchFlights]), (F.subsequentTask + " ", [])])
        let step = try await StageHarness.step(FunctionGenerator(), F.composed, replies: [reply])
        #expect(step.nextItem?.subTasks?.map(\.functions.count) == [1, 0])
        #expect(step.nextItem?.subTasks?.map(\.task) == [F.atomTask, F.subsequentTask])
    }

    @Test func correctsSubTasksOfTheWrongCountOrOrder() async throws {
        let short = F.functionsReply([(F.atomTask, [F.searchFlights])])
        let swapped = F.functionsReply([(F.subsequentTask, [F.bookFlight]), (F.atomTask, [F.searchFlights])])
        let step = try await StageHarness.step(FunctionGenerator(), F.composed, replies: [short, swapped, good])
        #expect(step.result.llmCalls == 3)
        #expect(step.nextItem != nil)
        #expect(
            step.requests[1].messages.last?.content.contains(#""sub_tasks" has 1 entries but there are 2 sub-tasks"#)
                == true)
        #expect(
            step.requests[2].messages.last?.content.contains(
                "sub_tasks[0].sub_task is \"\(F.subsequentTask)\", which is sub-task 2") == true)
    }

    @Test func correctsInvalidFunctionDefinitions() async throws {
        var broken = F.bookFlight
        broken.parameters = .object(["type": .string("object")])
        let invalid = F.functionsReply([(F.atomTask, [F.searchFlights]), (F.subsequentTask, [broken])])
        let duplicate = F.functionsReply([(F.atomTask, [F.searchFlights]), (F.subsequentTask, [F.searchFlights])])
        let none = F.functionsReply([(F.atomTask, []), (F.subsequentTask, [])])
        let step = try await StageHarness.step(FunctionGenerator(), F.composed, replies: [invalid, duplicate, none])
        #expect(step.result.llmCalls == 3)
        let first = try #require(step.requests[1].messages.last?.content)
        #expect(first.contains("the functions are not valid: $.sub_tasks[1].functions[0].parameters.properties"))
        let second = try #require(step.requests[2].messages.last?.content)
        #expect(second.contains(#"function "search_flights" is already declared"#))
        #expect(
            step.filteredReason
                == "function_gen: no usable reply after 3 attempts: no sub-task has a function; at least one sub-task needs a function to call"
        )
    }

    @Test func correctsAFunctionWithoutResponses() async throws {
        let entry = JSONValue.object([
            "sub_task": .string(F.atomTask),
            "functions": .array([
                .object([
                    "name": .string("search_flights"), "description": .string("Search."),
                    "parameters": F.searchFlights.parameters,
                ])
            ]),
        ])
        let reply = F.json(
            .object([
                "sub_tasks": .array([entry, .object(["sub_task": .string(F.subsequentTask), "functions": .array([])])])
            ]))
        let step = try await StageHarness.step(FunctionGenerator(), F.composed, replies: [reply, malformedReply, good])
        #expect(step.requests[1].messages.last?.content.contains(#"functions[0] lacks the key "responses""#) == true)
        #expect(step.nextItem?.subTasks?.flatMap(\.functions).map(\.name) == ["search_flights", "book_flight"])
    }

    /// Values of another type than the one declared are fixed before validation, without a
    /// correction round, and the fixes are counted; an enum no member of which fits, once a
    /// correction, is dropped.
    @Test func fixesSchemaValuesToTheirDeclaredTypesAndCountsIt() async throws {
        var designed = F.bookFlight
        designed.parameters = .object([
            "type": .string("object"),
            "properties": .object([
                "seats": .object(["type": .array([.string("integer")]), "default": .string("1")]),
                "cabin": .object(["type": .string("integer"), "enum": .array([.string("economy")])]),
            ]),
        ])
        let reply = F.functionsReply([(F.atomTask, [F.searchFlights]), (F.subsequentTask, [designed])])
        let step = try await StageHarness.step(FunctionGenerator(), F.composed, replies: [reply])
        #expect(step.result.llmCalls == 1)
        let function = try #require(step.nextItem?.subTasks?.last?.functions.first)
        #expect(
            function.parameters
                == .object([
                    "type": .string("object"),
                    "properties": .object([
                        "seats": .object(["type": .string("integer"), "default": .number(1)]),
                        "cabin": .object(["type": .string("integer")]),
                    ]),
                ]))
        #expect(
            step.result.repairs == ["schema_type_unwrapped": 1, "schema_value_coerced": 1, "schema_value_dropped": 1])
    }
}
