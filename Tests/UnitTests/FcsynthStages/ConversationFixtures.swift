@testable import FcsynthCore

/// Dialogue states and assistant replies for the conversation stage's tests.
enum ConversationFixtures {
    static let opening =
        "Hi! Please book Anna Weber on the cheapest economy flight from Lisbon to Oslo on 14 March 2025."
    static let searchArguments = #"{"destination":"Oslo","origin":"Lisbon"}"#
    static let searchResult = #"{"flight_id":"TP-1234","price":89.5}"#

    static func item(_ messages: [OutputMessage], rounds: Int = 0) -> WorkItem {
        var item = StageFixtures.withFunctions
        item.usage = TokenUsage(promptTokens: 1000, completionTokens: 100)
        item.conversation = ConversationState(messages: messages, rounds: rounds)
        return item
    }

    static let userOpened = item([OutputMessage(role: .user, content: opening)])

    static let searchCalled = item(
        [
            OutputMessage(role: .user, content: opening),
            OutputMessage(
                role: .assistant, content: "1. Search flights. 2. Book the cheapest.",
                toolCalls: [ToolCall(id: "call_1", name: "search_flights", arguments: searchArguments)]),
        ], rounds: 1)

    static let searchAnswered = item(
        searchCalled.conversation!.messages + [
            OutputMessage(role: .tool, content: searchResult, toolCallId: "call_1")
        ], rounds: 1)

    static let bookingAnswered = item(
        searchAnswered.conversation!.messages + [
            OutputMessage(
                role: .assistant, content: "The cheapest is TP-1234; now I book it.",
                toolCalls: [
                    ToolCall(
                        id: "call_2", name: "book_flight",
                        arguments: #"{"flight_id":"TP-1234","passenger_name":"Anna Weber"}"#)
                ]),
            OutputMessage(role: .tool, content: #"{"booking_reference":"XK9P2L"}"#, toolCallId: "call_2"),
        ], rounds: 2)

    static let planWithSearch =
        #"{"thought": "Plan:\n1. Search the flights.\n2. Book the cheapest.", "tool_calls": [{"name": "search_flights", "arguments": {"origin": "Lisbon", "destination": "Oslo"}}]}"#
    static let bookCall =
        #"{"thought": "TP-1234 is cheapest.", "tool_calls": [{"name": "book_flight", "arguments": {"flight_id": "TP-1234", "passenger_name": "Anna Weber"}}]}"#
    static let final =
        #"{"thought": "Booked.", "final": "Anna Weber is booked on TP-1234 for 89.50 euros; reference XK9P2L."}"#

    static func calls(_ calls: String, thought: String = "Plan:\\n1. Search.\\n2. Book.") -> String {
        "{\"thought\": \"\(thought)\", \"tool_calls\": \(calls)}"
    }
}
