import Testing

@testable import FcsynthStages

@Suite struct ScenarioExpanderTests {
    let settings = StageHarness.settings { $0.scenarioExpansions = 2 }
    let good = #"{"scenarios": ["cancelling a hotel reservation", "renting a car at the airport"]}"#

    @Test(arguments: ReplyForm.allCases)
    func fansOutOriginalAndNewScenarios(form: ReplyForm) async throws {
        let step = try await StageHarness.step(
            ScenarioExpander(), StageFixtures.withScenario, replies: [form.wrap(good)], settings: settings)
        #expect(step.next.map(\.stage) == [.atomTask, .atomTask, .atomTask])
        #expect(step.next.map(\.item.id) == ["17.e0", "17.e1", "17.e2"])
        #expect(
            step.next.map(\.item.scenario) == [
                "booking flights for a trip", "cancelling a hotel reservation", "renting a car at the airport",
            ])
        #expect(step.requests.first?.call == "scenario_expand")
        #expect(
            step.requests.first?.messages.last?.content.contains(
                #"{"count":2,"scenario":"booking flights for a trip"}"#) == true)
    }

    @Test func dropsRepeatsAndExtras() async throws {
        let reply =
            #"{"scenarios": ["Booking flights for a trip", "renting a car", "renting a car", "ordering groceries", "walking a dog"]}"#
        let step = try await StageHarness.step(
            ScenarioExpander(), StageFixtures.withScenario, replies: [reply], settings: settings)
        #expect(
            step.next.map(\.item.scenario) == ["booking flights for a trip", "renting a car", "ordering groceries"])
    }

    @Test func correctsAReplyWithNothingNew() async throws {
        let same = #"{"scenarios": ["booking flights for a trip"]}"#
        let step = try await StageHarness.step(
            ScenarioExpander(), StageFixtures.withScenario, replies: [same, good], settings: settings)
        #expect(step.result.llmCalls == 2)
        #expect(step.next.count == 3)
        #expect(
            step.requests[1].messages.last?.content.contains("holds no scenario different from the given one") == true)
    }

    @Test func correctsMalformedThenFiltersWrongShape() async throws {
        let wrong = #"{"scenarios": "renting a car"}"#
        let step = try await StageHarness.step(
            ScenarioExpander(), StageFixtures.withScenario,
            replies: [malformedReply, wrong, #"{"scenarios": []}"#], settings: settings)
        #expect(step.result.llmCalls == 3)
        #expect(
            step.filteredReason
                == #"scenario_expand: no usable reply after 3 attempts: "scenarios" in reply is an empty array"#)
    }
}
