import Foundation
import Testing

@testable import FcsynthPipeline

@Suite struct RemovalReasonTests {
    func item(_ stage: String, _ reason: String) -> RemovedItem {
        RemovedItem(id: "1", line: 1, stage: stage, reason: reason, attempts: nil, item: nil, task: nil)
    }

    @Test func groupsByStageAndTheReasonsHeadMostFrequentFirst() {
        let ranked = RemovalReason.ranked([
            item("judge", "judge: scored below 3: user_natural 2 (stilted)"),
            item("composition_filter", "composition_filter: infeasible: needs a date"),
            item("judge", "judge: scored below 3: task_accomplished 1 (gave up)"),
            item("scenario_extract", "HTTP 404: model not found"),
            item("composition_filter", "composition_filter: infeasible: the order is wrong"),
            item("judge", "judge: scored below 3: user_natural 1 (robotic)"),
        ])
        #expect(
            ranked.map(\.kind) == [
                "judge: scored below 3", "composition_filter: infeasible", "scenario_extract: HTTP 404",
            ])
        #expect(ranked.map(\.count) == [3, 2, 1])
        #expect(ranked[0].example == "judge: scored below 3: user_natural 2 (stilted)")
        #expect(RemovalReason.ranked([], limit: 5).isEmpty)
        #expect(RemovalReason.ranked([item("a", "x"), item("b", "y")], limit: 1).map(\.kind) == ["a: x"])
    }
}
