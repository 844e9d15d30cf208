import Testing

@testable import FcsynthCore
@testable import FcsynthVerification

/// Each rule against a record that is right and against the same record edited to break
/// that rule alone: the edited one must fail with its rule named, the right one pass.
@Suite struct ConversationVerifierTests {
    typealias F = VerificationFixtures

    @Test func aRightConversationPassesEveryRule() {
        let report = ConversationVerifier.verify(F.conversation)
        #expect(report.findings.isEmpty, "\(report.findings)")
        #expect(report.notApplicable.isEmpty)
        #expect(report.checks.values.allSatisfy { $0.outcome == .pass })
    }

    @Test func aConversationCutAfterItsFirstToolTurnMissesASubTask() {
        var conversation = F.conversation
        conversation.messages =
            Array(conversation.messages.prefix(4))
            + [OutputMessage(role: .assistant, content: "TP-1234 costs 89.5 euros.")]
        let report = ConversationVerifier.verify(conversation)
        #expect(F.rules(report) == [.coverage])
        #expect(report.violations.first?.detail.contains("sub-task 2") == true)
    }

    @Test func anArgumentNobodyGaveIsUngrounded() {
        var conversation = F.conversation
        conversation.messages[4].toolCalls = [
            F.call("c2", "book_flight", #"{"flight_id":"TP-1234","passenger_name":"Ann Webber"}"#)
        ]
        let report = ConversationVerifier.verify(conversation)
        #expect(F.rules(report) == [.grounding])
        #expect(report.violations.first?.path == "$.messages[4].tool_calls[0].function.arguments.passenger_name")
        #expect(report.violations.first?.detail.contains("\"Ann Webber\"") == true)
    }

    @Test func aNumberNobodyGaveIsUngrounded() {
        var conversation = F.conversation
        conversation.messages[2].toolCalls = [
            F.call(
                "c1", "search_flights", #"{"origin":"Lisbon","destination":"Oslo","date":"2025-03-14","max_stops":6}"#)
        ]
        // A figure may have been worked out: recorded, and failing only when asked for.
        let report = ConversationVerifier.verify(conversation)
        #expect(report.passed)
        #expect(report.findings.map(\.rule) == [.derivedValue])
        #expect(report.checks["derived_value"]?.outcome == .measuredFail)
        #expect(report.findings.first?.detail.contains("max_stops = 6") == true)
        #expect(F.rules(ConversationVerifier.verify(conversation, enforceDerivedValues: true)) == [.derivedValue])
    }

    @Test func aValueUsedBeforeTheResultThatGivesItIsOutOfOrder() {
        var conversation = F.conversation
        // Both calls in the first turn: the booking uses an id only the search returns.
        conversation.messages = [
            conversation.messages[0], conversation.messages[1],
            OutputMessage(
                role: .assistant, content: "1. Search. 2. Book.",
                toolCalls: [
                    F.call("c1", "search_flights", #"{"origin":"Lisbon","destination":"Oslo","date":"2025-03-14"}"#),
                    F.call("c2", "book_flight", #"{"flight_id":"TP-1234","passenger_name":"Anna Weber"}"#),
                ]),
            OutputMessage(
                role: .tool, content: #"{"flights":[{"flight_id":"TP-1234","price":89.5}]}"#, toolCallId: "c1"),
            OutputMessage(
                role: .tool, content: #"{"booking_reference":"XK9P2L","status":"confirmed"}"#, toolCallId: "c2"),
            conversation.messages[6],
        ]
        let report = ConversationVerifier.verify(conversation)
        #expect(F.rules(report) == [.order])
        let details = report.violations.map(\.detail)
        #expect(details.contains { $0.contains("\"TP-1234\"") && $0.contains("later or same-turn result") })
        #expect(details.contains { $0.contains("book_flight shares a turn with search_flights") })
    }

    @Test func parallelStepsCalledApartAreMeasuredAndFailWhenRequired() {
        let weatherCall = F.call("c0", "get_weather", #"{"city":"Oslo"}"#)
        var conversation = F.conversation
        conversation.functions.append(F.weather)
        conversation.plan = TaskPlan(
            subTasks: ["Find the weather in Oslo.", F.subTasks[0], F.subTasks[1]],
            functions: [["get_weather"], ["search_flights"], ["book_flight"]], mode: .paraSeq,
            parallelCallsAllowed: true)
        conversation.messages[1].content = F.request + " Also, what is the weather in Oslo?"
        let separate =
            Array(conversation.messages.prefix(2)) + [
                OutputMessage(role: .assistant, content: "1. Weather. 2. Flights. 3. Book.", toolCalls: [weatherCall]),
                OutputMessage(role: .tool, content: #"{"forecast":"sunny","high_c":11}"#, toolCallId: "c0"),
            ] + conversation.messages.dropFirst(2).dropLast() + [
                OutputMessage(
                    role: .assistant, content: "It is sunny in Oslo; Anna Weber is booked on TP-1234, reference XK9P2L."
                )
            ]
        conversation.messages = separate
        let measured = ConversationVerifier.verify(conversation)
        #expect(measured.passed, "\(measured.violations)")
        #expect(measured.findings.map(\.rule) == [.parallelStructure])
        #expect(measured.checks["parallel_structure"]?.outcome == .measuredFail)
        let enforced = ConversationVerifier.verify(conversation, enforceParallel: true)
        #expect(F.rules(enforced) == [.parallelStructure])

        // The same steps in one turn pass.
        var together = conversation
        together.messages =
            Array(conversation.messages.prefix(2)) + [
                OutputMessage(
                    role: .assistant, content: "1. Weather and flights. 2. Book.",
                    toolCalls: [
                        weatherCall,
                        F.call(
                            "c1", "search_flights", #"{"origin":"Lisbon","destination":"Oslo","date":"2025-03-14"}"#),
                    ]),
                OutputMessage(role: .tool, content: #"{"forecast":"sunny","high_c":11}"#, toolCallId: "c0"),
                OutputMessage(
                    role: .tool, content: #"{"flights":[{"flight_id":"TP-1234","price":89.5}]}"#, toolCallId: "c1"),
            ] + conversation.messages.suffix(3)
        #expect(
            ConversationVerifier.verify(together, enforceParallel: true).findings.isEmpty,
            "\(ConversationVerifier.verify(together, enforceParallel: true).findings)")
    }

    @Test func aFinalAnswerThatContradictsItsResultsFails() {
        var conversation = F.conversation
        conversation.messages[6].content =
            "According to the results, step 3 is done: everything costs 0 and nothing was found."
        let report = ConversationVerifier.verify(conversation)
        #expect(F.rules(report) == [.finalAnswer])
        let details = report.violations.map(\.detail)
        #expect(details.contains("the answer carries none of the results' values"))
        #expect(
            report.findings.contains {
                $0.rule == .derivedValue && $0.detail == "the answer states 0, which no result or request gives"
            })
        #expect(details.contains { $0.contains("\"nothing was found\"") })
    }

    @Test func underivedFiguresAreReportedOnceEachInTheOrderTheAnswerStatesThem() {
        var conversation = F.conversation
        conversation.messages[6].content =
            "TP-1234 at 89.50 euros is booked (XK9P2L); 431 points, 77.25 in taxes, 512 km and 431 points again."
        let stated = ConversationVerifier.verify(conversation).findings.filter { $0.rule == .derivedValue }.map(
            \.detail)
        #expect(
            stated == ["431", "77.25", "512"].map { "the answer states \($0), which no result or request gives" })
    }

    @Test func aFinalAnswerMayDeriveTotalsAndCounts() {
        var conversation = F.conversation
        conversation.messages[6].content =
            "I found 2 flights; TP-1234 at 89.50 euros is booked (XK9P2L), 209.5 for both fares."
        #expect(ConversationVerifier.verify(conversation).findings.isEmpty)
    }

    @Test func aFailureThatTheResultsReportMayBeTold() {
        var conversation = F.conversation
        conversation.messages[5].content = #"{"error":"no seats left","status":"failed"}"#
        conversation.messages[6].content =
            "TP-1234 was the cheapest, but the booking failed: nothing was found with seats left."
        #expect(ConversationVerifier.verify(conversation).findings.isEmpty)
    }

    @Test func anAssistantThatMentionsItsHintsLeaksThem() {
        var conversation = F.conversation
        conversation.messages[4].content = "Following the hints, step 2 is the booking."
        #expect(F.rules(ConversationVerifier.verify(conversation)) == [.hintLeak])
    }

    @Test func aUserWhoNamesAFunctionLeaksIt() {
        var conversation = F.conversation
        conversation.messages[1].content =
            "Step 1: call search_flights for Lisbon to Oslo on 14 March 2025, then book it for Anna Weber."
        let report = ConversationVerifier.verify(conversation)
        #expect(F.rules(report) == [.functionNameInUser])
        #expect(report.violations.first?.detail == "the user names the function search_flights")
    }

    @Test func functionNamesAreFoundAsCodeNotAsWords() {
        #expect(LeakChecks.names("search_flights", in: "please search_flights now"))
        #expect(!LeakChecks.names("search_flights", in: "please search flights now"))
        #expect(LeakChecks.names("getWeather", in: "use getWeather."))
        #expect(LeakChecks.names("search", in: "run `search` for me"))
        #expect(LeakChecks.names("search", in: "call search(city) for me"))
        #expect(!LeakChecks.names("search", in: "search for flights"))
        #expect(!LeakChecks.names("book_flight", in: "rebook_flights"))
    }

    @Test func aSystemPromptHoldingASubTaskLeaksIt() {
        var conversation = F.conversation
        conversation.messages[0].content =
            "Tools below. Steps: find the cheapest flight from Lisbon to Oslo on 14 March 2025."
        #expect(F.rules(ConversationVerifier.verify(conversation)) == [.subTaskInSystem])
    }

    @Test func withoutAPlanThePlanRulesAreNotApplicable() {
        var conversation = F.conversation
        conversation.plan = nil
        conversation.messages =
            Array(conversation.messages.prefix(4))
            + [OutputMessage(role: .assistant, content: "TP-1234 costs 89.5 euros.")]
        let report = ConversationVerifier.verify(conversation)
        #expect(report.findings.isEmpty)
        #expect(
            report.notApplicable == [
                .coverage, .parallelStructure, .subTaskInSystem, .distractorCall, .unavailableReported, .clarifyFirst,
            ])
        #expect(report.checks["coverage"]?.outcome == .notApplicable)
    }
}
