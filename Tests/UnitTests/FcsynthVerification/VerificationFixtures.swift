@testable import FcsynthCore
@testable import FcsynthVerification

/// A conversation that does what it was asked, written by hand, and the plan behind it;
/// each test edits one thing and expects the rule that guards it to speak.
enum VerificationFixtures {
    static let searchFlights = FunctionDefinition(
        name: "search_flights", description: "Search flights.",
        parameters: object(
            required: ["origin", "destination", "date"],
            [
                "origin": .object(["type": .string("string")]), "destination": .object(["type": .string("string")]),
                "date": .object(["type": .string("string")]),
                "cabin": .object([
                    "type": .string("string"), "enum": .array([.string("economy"), .string("business")]),
                ]),
                "max_stops": .object(["type": .string("integer"), "default": .number(2)]),
            ]),
        responses: .object(["type": .string("object")]))
    static let bookFlight = FunctionDefinition(
        name: "book_flight", description: "Book a flight.",
        parameters: object(
            required: ["flight_id", "passenger_name"],
            [
                "flight_id": .object(["type": .string("string")]),
                "passenger_name": .object(["type": .string("string")]),
            ]),
        responses: .object(["type": .string("object")]))
    static let weather = FunctionDefinition(
        name: "get_weather", description: "Weather for a city.",
        parameters: object(required: ["city"], ["city": .object(["type": .string("string")])]),
        responses: .object(["type": .string("object")]))

    static func object(required: [String], _ properties: [String: JSONValue]) -> JSONValue {
        .object([
            "type": .string("object"), "required": .array(required.map { .string($0) }),
            "properties": .object(properties),
        ])
    }

    static let subTasks = [
        "Find the cheapest flight from Lisbon to Oslo on 14 March 2025.",
        "Book that flight for Anna Weber.",
    ]
    static let request = "Hi! Find the cheapest flight from Lisbon to Oslo on 14 March 2025 and book it for Anna Weber."

    static func call(_ id: String, _ name: String, _ arguments: String) -> ToolCall {
        ToolCall(id: id, name: name, arguments: arguments)
    }

    static var messages: [OutputMessage] {
        [
            OutputMessage(role: .system, content: "You are a helpful assistant with access to functions."),
            OutputMessage(role: .user, content: request),
            OutputMessage(
                role: .assistant, content: "Plan:\n1. Search the flights.\n2. Book the cheapest.",
                toolCalls: [
                    call(
                        "c1", "search_flights",
                        #"{"origin":"Lisbon","destination":"oslo","date":"2025-03-14","cabin":"economy","max_stops":2}"#
                    )
                ]),
            OutputMessage(
                role: .tool,
                content: #"{"flights":[{"flight_id":"TP-1234","price":89.5},{"flight_id":"SK-88","price":120}]}"#,
                toolCallId: "c1"),
            OutputMessage(
                role: .assistant, content: "TP-1234 is the cheapest.",
                toolCalls: [call("c2", "book_flight", #"{"flight_id":"TP-1234","passenger_name":"Anna Weber"}"#)]),
            OutputMessage(
                role: .tool, content: #"{"booking_reference":"XK9P2L","status":"confirmed","total_price":89.5}"#,
                toolCallId: "c2"),
            OutputMessage(
                role: .assistant, content: "Anna Weber is booked on TP-1234 for 89.50 euros; the reference is XK9P2L."),
        ]
    }

    static let plan = TaskPlan(
        subTasks: subTasks, functions: [["search_flights"], ["book_flight"]], mode: .sequential,
        parallelCallsAllowed: true)

    static var conversation: VerifiableConversation {
        VerifiableConversation(messages: messages, functions: [searchFlights, bookFlight], plan: plan)
    }

    /// The rules a report's violations name.
    static func rules(_ report: VerificationReport) -> Set<VerificationRule> {
        Set(report.violations.map(\.rule))
    }
}
