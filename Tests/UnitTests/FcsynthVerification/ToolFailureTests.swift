import Testing

@testable import FcsynthCore
@testable import FcsynthVerification

/// A call made to fail (`--tool-error-rate`): the assistant that owns up to it may leave the
/// steps that needed it undone; one that glosses over it may not.
@Suite struct ToolFailureTests {
    typealias F = VerificationFixtures

    static let notFound = #"{"error":{"code":"not_found","message":"No flight from Lisbon to oslo on 2025-03-14."}}"#

    /// The search fails, and the assistant stops there with this answer.
    static func failedSearch(answer: String) -> VerifiableConversation {
        var conversation = F.conversation
        conversation.messages =
            Array(conversation.messages.prefix(3)) + [
                OutputMessage(role: .tool, content: notFound, toolCallId: "c1"),
                OutputMessage(role: .assistant, content: answer),
            ]
        return conversation
    }

    @Test func aFailureTheAnswerOwnsUpToExcusesTheStepsLeftUndone() {
        let report = ConversationVerifier.verify(
            Self.failedSearch(
                answer: "I could not book anything: no flight from Lisbon to Oslo on 14 March 2025 was found."))
        #expect(report.findings.isEmpty, "\(report.findings)")
    }

    @Test func aFailureTheAnswerHidesLeavesTheStepsUnserved() {
        let report = ConversationVerifier.verify(
            Self.failedSearch(answer: "Anna Weber's trip from Lisbon to Oslo is all set."))
        #expect(F.rules(report).contains(.coverage), "\(report.findings)")
    }

    @Test func anAdmissionWithoutAnErrorResultExcusesNothing() {
        var conversation = F.conversation
        conversation.messages =
            Array(conversation.messages.prefix(4))
            + [OutputMessage(role: .assistant, content: "TP-1234 costs 89.5 euros, but I could not book it.")]
        #expect(F.rules(ConversationVerifier.verify(conversation)).contains(.coverage))
    }

    /// The validator holds a failed call's result to the error shape, and only a failed one.
    static func record(toolErrors: [String]?, result: String) -> ConversationRecord {
        let function = FunctionDefinition(
            name: "search_flights", description: "Search flights.",
            parameters: F.object(required: ["origin"], ["origin": .object(["type": .string("string")])]),
            responses: F.object(required: ["flight_id"], ["flight_id": .object(["type": .string("string")])]))
        var lineage = Lineage(
            run: "r", line: 1, itemId: "1", scenario: "s", atomTask: "a", compositionMode: .sequential,
            compositionTask: "c", subTasks: ["a"])
        lineage.toolErrors = toolErrors
        return ConversationRecord(
            id: "1",
            messages: [
                OutputMessage(role: .system, content: "Tools."),
                OutputMessage(role: .user, content: "Flights from Lisbon, please."),
                OutputMessage(
                    role: .assistant, content: "Searching.",
                    toolCalls: [ToolCall(id: "call_1", name: "search_flights", arguments: #"{"origin":"Lisbon"}"#)]),
                OutputMessage(role: .tool, content: result, toolCallId: "call_1"),
                OutputMessage(role: .assistant, content: "I could not find a flight from Lisbon."),
            ],
            tools: [ToolDefinition(function)], functions: [function], lineage: lineage, usage: TokenUsage())
    }

    @Test func theValidatorAcceptsAnErrorOnlyForACallMadeToFail() {
        let error = #"{"error":{"code":"not_found","message":"No flight from Lisbon."}}"#
        #expect(ConversationValidator.validate(Self.record(toolErrors: ["call_1"], result: error)).isEmpty)
        #expect(!ConversationValidator.validate(Self.record(toolErrors: nil, result: error)).isEmpty)
        let result = #"{"flight_id":"TP-1"}"#
        #expect(ConversationValidator.validate(Self.record(toolErrors: nil, result: result)).isEmpty)
        #expect(!ConversationValidator.validate(Self.record(toolErrors: ["call_1"], result: result)).isEmpty)
        let unknownCode = #"{"error":{"code":"teapot","message":"No."}}"#
        let violations = ConversationValidator.validate(Self.record(toolErrors: ["call_1"], result: unknownCode))
        #expect(violations.map(\.path) == ["$.messages[3].content.error.code"], "\(violations)")
    }
}
