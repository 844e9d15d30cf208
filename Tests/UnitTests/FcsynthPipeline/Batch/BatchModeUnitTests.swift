import Foundation
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

/// Batch mode's pieces that need no server: the request as Redis keeps it, the custom id the
/// answer comes back under, when a round goes out, and what a batch answer costs.
@Suite struct BatchModeUnitTests {
    static let request = ParkedRequest(
        tid: "7|conversation|3", stage: .conversation, key: "00ff00ff00ff00ff#1",
        request: ChatRequest(
            call: "conv_user", messages: [.system("be brief"), .user("line one\nline two")], temperature: 0.3,
            maxTokens: 256, jsonMode: true, replySchema: .object(["type": .string("object")])))

    @Test func aParkedRequestSurvivesItsMemberAndItsCustomIDNamesItBack() throws {
        var request = Self.request
        request.request.serviceTier = .flex
        request.attempts = 2
        request.lastError = "batch_expired: too slow"
        let member = try request.member()
        #expect(member.prefix(while: { $0 != UInt8(ascii: "\n") }) == Data(request.id.utf8))
        #expect(try ParkedRequest.read(member: member) == request)
        #expect(request.customID == "conv_user/7|conversation|3|00ff00ff00ff00ff#1")
        #expect(ParkedRequest.id(inCustomID: request.customID) == request.id)
        #expect(ParkedRequest.id(inCustomID: "no-slash") == nil)
        #expect(ParkedRequest.id(inCustomID: "call/") == nil)
        #expect(throws: PipelineError.self) { try ParkedRequest.read(member: Data("{}".utf8)) }
    }

    @Test func aRoundGoesOutWhenNothingCanJoinItWhenFullOrWhenItsOldestHasWaitedTheWindow() {
        var settings = BatchSettings()
        settings.window = 10
        settings.maxRequests = 100
        func overview(pending: Int, runnable: Int, waited: Duration?) -> BatchStore.Overview {
            BatchStore.Overview(
                state: "enqueued", pending: pending, oldestPendingWait: waited, batches: [:], runnable: runnable)
        }
        #expect(BatchSubmitter.roundIsReady(overview(pending: 3, runnable: 0, waited: .seconds(0)), settings))
        #expect(!BatchSubmitter.roundIsReady(overview(pending: 3, runnable: 5, waited: .seconds(9)), settings))
        #expect(BatchSubmitter.roundIsReady(overview(pending: 3, runnable: 5, waited: .seconds(10)), settings))
        #expect(BatchSubmitter.roundIsReady(overview(pending: 100, runnable: 5, waited: .seconds(0)), settings))
        #expect(!BatchSubmitter.roundIsReady(overview(pending: 3, runnable: 5, waited: nil), settings))
    }

    @Test func batchAnswersAreChargedAtTheBatchPriceAndCountedApart() {
        let prices = RunEstimate.Prices(prompt: 2, completion: 8)
        let usage = TokenUsage(promptTokens: 3_000, completionTokens: 1_000)
        let batch = TokenUsage(promptTokens: 1_000, completionTokens: 500)
        let operations = TaskProcessor.charges(
            usage, stage: "atom_task", prices: prices, batch: batch, batchPriceFactor: 0.5)
        var counts: [String: Int] = [:]
        for case .increment(let field, let amount) in operations { counts[field, default: 0] += amount }
        // By hand, in billionths: the online part (2,000 × 2 + 500 × 8) × 1,000 = 8,000,000; the batch
        // part (1,000 × 2 + 500 × 8) × 1,000 × 0.5 = 3,000,000.
        #expect(counts["charged_nano_usd"] == 11_000_000)
        #expect(counts["batch_nano_usd"] == 3_000_000)
        #expect(counts["batch_tokens"] == 1_500 && counts["charged_tokens"] == 4_000)
        let online = TaskProcessor.charges(usage, stage: "atom_task", prices: prices)
        #expect(!online.contains(.increment("batch_tokens", 0)))
        #expect(online.contains(.increment("charged_nano_usd", 14_000_000)))
    }

    @Test func runSettingsWithoutBatchDecodeAsOnlineAndBatchSettingsRoundTrip() throws {
        let old = try JSONCoding.encode(RunSettings())
        #expect(!String(decoding: old, as: UTF8.self).contains("\"batch\""))
        #expect(try JSONCoding.decode(RunSettings.self, from: old).batch == nil)
        var settings = RunSettings()
        var batch = BatchSettings()
        batch.onlineAfter = 4
        batch.window = 2.5
        settings.batch = batch
        #expect(try JSONCoding.decode(RunSettings.self, from: JSONCoding.encode(settings)) == settings)
    }
}
