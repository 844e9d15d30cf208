@testable import FcsynthCore
@testable import FcsynthStages

/// Items as they reach each stage, and the functions of a small flight-booking task.
enum StageFixtures {
    static let atomTask = "Find the cheapest economy flight from Lisbon to Oslo on 14 March 2025."
    static let subsequentTask = "Book a seat on that flight for Anna Weber."
    static let parallelTask = "Get the weather forecast for Oslo on 14 March 2025."
    static let compositionTask = "Book Anna Weber on the cheapest economy flight from Lisbon to Oslo on 14 March 2025."

    static var seeded: WorkItem {
        WorkItem(id: "17", line: 17, seed: "user: I need to get to Oslo next month\nassistant: Happy to help.")
    }

    static var withScenario: WorkItem {
        var item = seeded
        item.seed = nil
        item.scenario = "booking flights for a trip"
        return item
    }

    static var withAtomTask: WorkItem {
        var item = withScenario
        item.atomTask = atomTask
        item.compositionMode = .sequential
        return item
    }

    static var composed: WorkItem {
        var item = withAtomTask
        item.subsequentTask = subsequentTask
        item.compositionTask = compositionTask
        item.subTasks = [SubTask(task: atomTask), SubTask(task: subsequentTask)]
        return item
    }

    static let searchFlights = FunctionDefinition(
        name: "search_flights", description: "Search flights between two cities on a date.",
        parameters: .object([
            "type": .string("object"),
            "properties": .object([
                "origin": .object(["type": .string("string"), "description": .string("Departure city")]),
                "destination": .object(["type": .string("string"), "description": .string("Arrival city")]),
                "max_stops": .object(["type": .string("integer"), "description": .string("Most stops allowed")]),
            ]),
            "required": .array([.string("origin"), .string("destination")]),
        ]),
        responses: .object([
            "type": .string("object"),
            "properties": .object([
                "flight_id": .object(["type": .string("string"), "description": .string("Cheapest flight")]),
                "price": .object(["type": .string("number"), "description": .string("Fare in euros")]),
            ]),
            "required": .array([.string("flight_id"), .string("price")]),
        ]))

    static let bookFlight = FunctionDefinition(
        name: "book_flight", description: "Book a seat on a flight.",
        parameters: .object([
            "type": .string("object"),
            "properties": .object([
                "flight_id": .object(["type": .string("string"), "description": .string("Flight identifier")]),
                "passenger_name": .object(["type": .string("string"), "description": .string("Passenger")]),
            ]),
            "required": .array([.string("flight_id"), .string("passenger_name")]),
        ]),
        responses: .object([
            "type": .string("object"),
            "properties": .object([
                "booking_reference": .object(["type": .string("string"), "description": .string("Reference")])
            ]),
            "required": .array([.string("booking_reference")]),
        ]))

    /// Ready for the conversation: functions designed, dialogue not started.
    static var withFunctions: WorkItem {
        var item = composed
        item.feasibilityAnalysis = "Feasible."
        item.subTasks = [
            SubTask(task: atomTask, functions: [searchFlights]), SubTask(task: subsequentTask, functions: [bookFlight]),
        ]
        item.conversation = ConversationState()
        return item
    }

    static func json(_ value: JSONValue) -> String {
        PromptData.serialize(value)
    }

    static func functionsReply(_ subTasks: [(String, [FunctionDefinition])]) -> String {
        json(
            .object([
                "sub_tasks": .array(
                    subTasks.map { task, functions in
                        .object(["sub_task": .string(task), "functions": .array(functions.map(\.json))])
                    })
            ]))
    }
}
