import Foundation
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

/// Cached prompt tokens as OpenAI reports them, and what they cost at their own rate.
@Suite struct TokenUsageTests {
    @Test func cachedTokensAreReadFromPromptTokensDetails() throws {
        let body =
            #"{"prompt_tokens":1000,"completion_tokens":200,"total_tokens":1200,"prompt_tokens_details":{"cached_tokens":640,"audio_tokens":0}}"#
        let usage = try JSONCoding.decode(TokenUsage.self, from: Data(body.utf8))
        #expect(usage == TokenUsage(promptTokens: 1000, completionTokens: 200, cachedTokens: 640))
        let again = try JSONCoding.decode(TokenUsage.self, from: try JSONCoding.encode(usage))
        #expect(again == usage)
    }

    @Test func usageWithoutDetailsReadsAndWritesAsBefore() throws {
        let usage = try JSONCoding.decode(
            TokenUsage.self, from: Data(#"{"prompt_tokens":7,"completion_tokens":3}"#.utf8))
        #expect(usage.cachedTokens == 0)
        let fields = try JSONCoding.decode(JSONValue.self, from: try JSONCoding.encode(usage)).objectValue ?? [:]
        #expect(fields == ["prompt_tokens": .number(7), "completion_tokens": .number(3)])
    }

    /// An endpoint that says more was cached than it was sent is not believed past the prompt.
    @Test func cachedTokensNeverExceedThePrompt() throws {
        let body = #"{"prompt_tokens":10,"completion_tokens":1,"prompt_tokens_details":{"cached_tokens":50}}"#
        #expect(try JSONCoding.decode(TokenUsage.self, from: Data(body.utf8)).cachedTokens == 10)
    }

    @Test func theCachedPartIsPricedAtItsRate() {
        let prices = RunEstimate.Prices(prompt: 2.5, completion: 10, cached: 1.25)
        let usage = TokenUsage(promptTokens: 1_000_000, completionTokens: 100_000, cachedTokens: 400_000)
        // 600k at 2.5, 400k at 1.25, 100k at 10 per million.
        #expect(prices.nanoDollars(usage) == 1_500_000_000 + 500_000_000 + 1_000_000_000)
        #expect(abs(prices.cost(usage) - 3.0) < 1e-12)
        // Without a cached price the cache is billed as prompt.
        #expect(RunEstimate.Prices(prompt: 2.5, completion: 10).nanoDollars(usage) == 3_500_000_000)
    }
}
