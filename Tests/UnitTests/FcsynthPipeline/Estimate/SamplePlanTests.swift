import Foundation
import Testing

@testable import FcsynthPipeline

@Suite struct SamplePlanTests {
    /// 12 of 70: the middle of each stretch of 70/12 = 5.83 rows, floor((2i + 1) · 70 / 24).
    @Test func picksTheMiddleOfEqualStretchesAndDealsThemToTheBatches() {
        let plan = SamplePlan(validRows: 70, sample: 12, batches: 4)
        #expect(plan.size == 12 && plan.batches == 4)
        #expect((0..<12).map(plan.ordinal(ofPick:)) == [2, 8, 14, 20, 26, 32, 37, 43, 49, 55, 61, 67])
        #expect((0..<12).map(plan.batch(ofPick:)) == [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3])
        #expect(abs(plan.stride - 70.0 / 12) < 1e-12)
    }

    @Test func aSmallFileIsSampledWhole() {
        let plan = SamplePlan(validRows: 3, sample: 24, batches: 4)
        #expect(plan.size == 3 && plan.batches == 3)
        #expect((0..<3).map(plan.ordinal(ofPick:)) == [0, 1, 2])
        let none = SamplePlan(validRows: 0, sample: 24, batches: 4)
        #expect(none.size == 0 && none.batches == 0)
    }
}
