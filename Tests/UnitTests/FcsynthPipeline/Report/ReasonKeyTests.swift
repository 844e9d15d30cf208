import Testing

@testable import FcsynthPipeline

/// Reasons that differ only in the item, count or score they name rank as one.
@Suite struct ReasonKeyTests {
    @Test func numbersAndDetailsFold() {
        let key = DatasetReportBuilder.reasonKey
        #expect(
            key("composition_filter", "near-duplicate of item 17.e0.a1: estimated 0.92")
                == "composition_filter: near-duplicate of item #")
        #expect(
            key("composition_filter", "composition_filter: infeasible: The request leaves out a detail")
                == "composition_filter: infeasible")
        #expect(key("judge", "scored below 3: user_natural 2 (stiff)") == "judge: scored below #")
        #expect(key("conversation", "no final answer after 8 rounds") == "conversation: no final answer after # rounds")
    }
}
