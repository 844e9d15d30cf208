import Testing

@testable import FcsynthCore
@testable import FcsynthVerification

/// Tool selection and negative samples: a distractor call, a call to a withheld function, an
/// answer that hides the part it could not do, and a call made before the question it needed
/// each fail; the conversations that do it right pass.
@Suite struct VariantChecksTests {
    typealias F = VerificationFixtures

    /// The fixture with the weather function shown beside the two it needs.
    static func withDistractor(calling: Bool) -> VerifiableConversation {
        var conversation = F.conversation
        conversation.functions.append(F.weather)
        conversation.plan?.distractors = [F.weather.name]
        if calling {
            conversation.messages[2].toolCalls?.append(F.call("c0", F.weather.name, #"{"city":"Oslo"}"#))
            conversation.messages.insert(
                OutputMessage(role: .tool, content: #"{"forecast":"rain"}"#, toolCallId: "c0"), at: 3)
        }
        return conversation
    }

    @Test func aDistractorShownButNotCalledPasses() {
        let report = ConversationVerifier.verify(Self.withDistractor(calling: false))
        #expect(report.findings.isEmpty, "\(report.findings)")
        #expect(report.checks[VerificationRule.distractorCall.rawValue]?.outcome == .pass)
    }

    @Test func aCallToADistractorFails() {
        let report = ConversationVerifier.verify(Self.withDistractor(calling: true))
        #expect(F.rules(report) == [.distractorCall], "\(report.findings)")
        #expect(report.violations.first?.path == "$.messages[2].tool_calls[1]")
    }

    /// The booking function withheld: the search is done, and the answer ends the conversation.
    static func withheldBooking(answer: String) -> VerifiableConversation {
        var conversation = F.conversation
        conversation.functions = [F.searchFlights]
        conversation.plan?.withheldFunction = F.bookFlight.name
        conversation.messages =
            Array(conversation.messages.prefix(4)) + [OutputMessage(role: .assistant, content: answer)]
        return conversation
    }

    @Test func anAnswerThatSaysWhatCouldNotBeDonePasses() {
        let report = ConversationVerifier.verify(
            Self.withheldBooking(
                answer:
                    "TP-1234 is the cheapest flight at 89.50 euros, but I could not book it for Anna Weber: none of my functions books flights."
            ))
        #expect(report.findings.isEmpty, "\(report.findings)")
    }

    @Test func anAnswerThatHidesTheUndonePartFails() {
        let report = ConversationVerifier.verify(
            Self.withheldBooking(answer: "TP-1234 is the cheapest flight at 89.50 euros. Have a good trip, Anna Weber!")
        )
        #expect(F.rules(report).contains(.unavailableReported), "\(report.findings)")
        #expect(F.rules(report).contains(.coverage), "\(report.findings)")
    }

    @Test func aCallToTheWithheldFunctionFails() {
        var conversation = F.conversation
        conversation.plan?.withheldFunction = F.bookFlight.name
        conversation.messages[conversation.messages.count - 1].content =
            "Anna Weber is booked on TP-1234 for 89.50 euros; I could not add a seat, the reference is XK9P2L."
        let report = ConversationVerifier.verify(conversation)
        #expect(F.rules(report) == [.unavailableReported], "\(report.findings)")
        #expect(report.violations.first?.path == "$.messages[4].tool_calls[0]")
    }

    /// The user leaves out the date; with `asking`, the assistant asks for it before searching.
    static func withheldDate(asking: Bool, opening: String? = nil) -> VerifiableConversation {
        var conversation = F.conversation
        conversation.plan?.withheldDetail = WithheldDetail(function: F.searchFlights.name, parameter: "date")
        conversation.messages[1].content =
            opening ?? "Hi! Find the cheapest flight from Lisbon to Oslo and book it for Anna Weber."
        let exchange = [
            OutputMessage(role: .assistant, content: "Plan: 1. search, 2. book. On which date do you want to fly?"),
            OutputMessage(role: .user, content: "On 14 March 2025."),
        ]
        if asking {
            conversation.messages.insert(contentsOf: exchange, at: 2)
        } else {
            conversation.messages.insert(contentsOf: exchange, at: 4)
        }
        return conversation
    }

    @Test func aQuestionBeforeTheCallPasses() {
        let report = ConversationVerifier.verify(Self.withheldDate(asking: true))
        #expect(report.findings.isEmpty, "\(report.findings)")
    }

    @Test func aCallBeforeTheQuestionFails() {
        let report = ConversationVerifier.verify(Self.withheldDate(asking: false))
        #expect(F.rules(report).contains(.clarifyFirst), "\(report.findings)")
        #expect(report.violations.contains { $0.rule == .clarifyFirst && $0.path == "$.messages[2]" })
    }

    @Test func aRequestThatGivesTheDetailAnywayFails() {
        var conversation = Self.withheldDate(asking: true, opening: F.request)
        conversation.messages[4].toolCalls = [
            F.call(
                "c1", "search_flights",
                #"{"origin":"Lisbon","destination":"oslo","date":"14 March 2025","cabin":"economy","max_stops":2}"#)
        ]
        let report = ConversationVerifier.verify(conversation)
        #expect(F.rules(report) == [.clarifyFirst], "\(report.findings)")
        #expect(report.violations.first?.path == "$.messages[1].content")
    }

    @Test func aQuestionThatAlreadyHoldsTheDetailFails() {
        var conversation = Self.withheldDate(asking: true)
        conversation.messages[2].content = "Plan: 1. search, 2. book. Shall I search for 14 March 2025?"
        conversation.messages[4].toolCalls = [
            F.call("c1", "search_flights", #"{"origin":"Lisbon","destination":"oslo","date":"14 March 2025"}"#)
        ]
        let report = ConversationVerifier.verify(conversation)
        #expect(F.rules(report) == [.clarifyFirst], "\(report.findings)")
        #expect(report.violations.first?.path == "$.messages[2].content")
    }

    @Test func theVariantRulesNeedThePlan() {
        var conversation = Self.withDistractor(calling: true)
        conversation.plan = nil
        let report = ConversationVerifier.verify(conversation)
        #expect(report.notApplicable.isSuperset(of: [.distractorCall, .unavailableReported, .clarifyFirst]))
    }
}
