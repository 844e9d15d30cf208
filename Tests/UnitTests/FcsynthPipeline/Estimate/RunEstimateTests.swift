import Foundation
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

/// The estimate's arithmetic against figures worked out by hand (in the comments) from four
/// batches of two rows each, for a file of 100 rows on 2 workers × 5.
@Suite struct RunEstimateTests {
    typealias Stage = EstimateBatch.Stage

    /// Per batch: scenario_extract 1 call per row, function_gen 1, conversation 5, 7, 6, 4 per
    /// item; 1, 2, 2, 1 conversations kept of 2 rows.
    let batches = [
        EstimateBatch(
            rows: 2, output: 1, filtered: 1,
            stages: [
                "scenario_extract": Stage(calls: 2, promptTokens: 200, completionTokens: 20, llmSeconds: 1, done: 2),
                "function_gen": Stage(calls: 2, promptTokens: 400, completionTokens: 100, llmSeconds: 2, done: 2),
                "conversation": Stage(
                    calls: 10, promptTokens: 3000, completionTokens: 300, llmSeconds: 5, done: 10, filtered: 1),
            ]),
        EstimateBatch(
            rows: 2, output: 2,
            stages: [
                "scenario_extract": Stage(calls: 2, promptTokens: 220, completionTokens: 20, llmSeconds: 1, done: 2),
                "function_gen": Stage(calls: 2, promptTokens: 400, completionTokens: 100, llmSeconds: 2, done: 2),
                "conversation": Stage(calls: 14, promptTokens: 3400, completionTokens: 380, llmSeconds: 7, done: 14),
            ]),
        EstimateBatch(
            rows: 2, output: 2,
            stages: [
                "scenario_extract": Stage(calls: 2, promptTokens: 220, completionTokens: 20, llmSeconds: 1, done: 2),
                "function_gen": Stage(calls: 2, promptTokens: 400, completionTokens: 100, llmSeconds: 2, done: 2),
                "conversation": Stage(calls: 12, promptTokens: 3200, completionTokens: 340, llmSeconds: 6, done: 12),
            ]),
        EstimateBatch(
            rows: 2, output: 1, dead: 1,
            stages: [
                "scenario_extract": Stage(calls: 2, promptTokens: 180, completionTokens: 20, llmSeconds: 1, done: 2),
                "function_gen": Stage(calls: 2, promptTokens: 400, completionTokens: 100, llmSeconds: 2, done: 2),
                "conversation": Stage(calls: 8, promptTokens: 2400, completionTokens: 260, llmSeconds: 4, done: 8),
            ]),
    ]

    func estimate(rpm: Int = 0, tpm: Int = 0, prices: RunEstimate.Prices? = nil) throws -> RunEstimate {
        try #require(
            RunEstimate(
                batches: batches, fileRows: 100,
                fleet: RunEstimate.Fleet(workers: 2, concurrency: 5, requestsPerMinute: rpm, tokensPerMinute: tpm),
                prices: prices))
    }

    func expect(
        _ interval: EstimateInterval?, _ mean: Double, _ low: Double? = nil, _ high: Double? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let interval else {
            Issue.record("no interval", sourceLocation: sourceLocation)
            return
        }
        #expect(abs(interval.mean - mean) < 1e-6, "mean \(interval.mean), not \(mean)", sourceLocation: sourceLocation)
        if let low {
            #expect(
                abs((interval.low ?? .nan) - low) < 1e-5, "low \(interval.low as Any)", sourceLocation: sourceLocation)
        }
        if let high {
            #expect(
                abs((interval.high ?? .nan) - high) < 1e-5, "high \(interval.high as Any)",
                sourceLocation: sourceLocation)
        }
    }

    /// 4, 6, 8 and 10: mean 7, s² = 20/3, s/√4 = 1.290994; t(0.95, 3 df) = 2.3534, so ± 3.038226.
    @Test func anIntervalIsTheMeanPlusOrMinusTTimesTheStandardError() {
        expect(EstimateInterval(of: [4, 6, 8, 10]), 7, 3.961774, 10.038226)
        let single = EstimateInterval(of: [5])
        #expect(single?.mean == 5 && single?.low == nil && single?.high == nil && single?.batches == 1)
        #expect(EstimateInterval(of: []) == nil)
        // 0, 0, 0, 3: mean 0.75, s² = 2.25, ± 2.3534 · 0.75 = 1.76505; the low end stops at 0.
        expect(EstimateInterval(of: [0, 0, 0, 3]), 0.75, 0, 2.51505)
    }

    /// Calls per row 7, 9, 8, 6: mean 7.5, s² = 5/3, s/√4 = 0.6454972, ± 1.5191132. Prompt
    /// tokens per row 1800, 2010, 1910, 1490: mean 1802.5. Yield 0.5, 1, 1, 0.5: mean 0.75,
    /// s² = 1/12, s/√4 = 0.144338, ± 0.339685.
    @Test func perRowFiguresAndTheYield() throws {
        let estimate = try estimate()
        #expect(estimate.batches == 4 && estimate.confidence == 0.9)
        expect(estimate.total.perRow.calls, 7.5, 5.9808868, 9.0191132)
        expect(estimate.total.perRow.promptTokens, 1802.5)
        // Completion per row 210, 250, 230, 190: mean 220.
        expect(estimate.total.perRow.completionTokens, 220)
        expect(estimate.yield, 0.75, 0.410315, 1.089685)
        #expect(Set(estimate.stages.keys) == ["scenario_extract", "function_gen", "conversation"])
        expect(estimate.stages["conversation"]?.perRow.calls, 5.5)
        expect(estimate.stages["scenario_extract"]?.perRow.calls, 1, 1, 1)
    }

    /// Calls per kept conversation 14/1, 18/2, 16/2, 12/1 = 14, 9, 8, 12: mean 10.75; the
    /// conversation stage's alone 10, 7, 6, 8: mean 7.75.
    @Test func perConversationFiguresDivideByWhatEachBatchKept() throws {
        let estimate = try estimate()
        expect(estimate.total.perConversation?.calls, 10.75)
        expect(estimate.stages["conversation"]?.perConversation?.calls, 7.75)
        var none = batches
        none[0].output = 0
        let partial = try #require(
            RunEstimate(batches: none, fileRows: 100, fleet: RunEstimate.Fleet(workers: 1, concurrency: 1), prices: nil)
        )
        // Without the first batch: 9, 8, 12.
        #expect(partial.total.perConversation?.calls.batches == 3)
        expect(partial.total.perConversation?.calls, 29.0 / 3)
    }

    /// Latency per batch 8/14, 10/18, 9/16, 7/12 s; chain 1 + 1 + 5 = 7, 9, 8, 6 calls (the
    /// conversation's calls over the 2 items function_gen handed on). For 100 rows, calls 700,
    /// 900, 800, 600; over 10 slots at each batch's latency: 40, 50, 45, 35 s (mean 42.5); the
    /// chain 4, 5, 4.5, 3.5 s (mean 4.25).
    @Test func wallTimeIsTheLargestBound() throws {
        let estimate = try estimate()
        expect(estimate.stages["conversation"]?.latencySeconds, 0.5)
        expect(estimate.total.latencySeconds, (8.0 / 14 + 10.0 / 18 + 9.0 / 16 + 7.0 / 12) / 4)
        expect(estimate.chainCalls, 7.5)
        expect(estimate.projection.calls, 750, 598.08868, 901.91132)
        expect(estimate.projection.bounds["concurrency"], 42.5)
        expect(estimate.projection.bounds["chain"], 4.25)
        #expect(estimate.projection.bounds["rpm"] == nil && estimate.projection.bounds["tpm"] == nil)
        #expect(estimate.projection.decidedBy == .concurrency)
        expect(estimate.projection.wallSeconds, 42.5)
        #expect(estimate.projection.cost == nil)
    }

    /// At 60 requests a minute, 700 to 900 calls take 700 to 900 s: the limit decides. At
    /// 100,000 tokens a minute, tokens 201,000, 226,000, 214,000, 168,000 take 120.6, 135.6,
    /// 128.4, 100.8 s.
    @Test func rateLimitsBoundTheWallTime() throws {
        let limited = try estimate(rpm: 60)
        #expect(limited.projection.decidedBy == .rpm)
        expect(limited.projection.bounds["rpm"], 750)
        expect(limited.projection.wallSeconds, 750, 598.08868, 901.91132)
        let tokens = try estimate(tpm: 100_000)
        #expect(tokens.projection.decidedBy == .tpm)
        expect(tokens.projection.bounds["tpm"], (120.6 + 135.6 + 128.4 + 100.8) / 4)
        expect(tokens.projection.tokens, (201_000.0 + 226_000 + 214_000 + 168_000) / 4)
    }

    /// At 1 per million prompt tokens and 2 per million completion tokens, for 100 rows (50
    /// times each batch): 0.222, 0.251, 0.237, 0.187; mean 0.22425.
    @Test func costIsPricedPerBatch() throws {
        let estimate = try estimate(prices: RunEstimate.Prices(prompt: 1, completion: 2))
        expect(estimate.projection.cost, 0.22425)
        #expect((estimate.projection.cost?.low ?? 1) < 0.22425 && (estimate.projection.cost?.high ?? 0) > 0.22425)
    }

    @Test func batchesThatTookNoRowIsNoEstimate() {
        let empty = EstimateBatch(rows: 0, output: 0, stages: [:])
        #expect(
            RunEstimate(
                batches: [empty], fileRows: 10, fleet: RunEstimate.Fleet(workers: 1, concurrency: 1), prices: nil)
                == nil)
    }
}
