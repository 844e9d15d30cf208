import Testing

@testable import FcsynthCore

@Suite struct RateLimitHeadersTests {
    @Test(arguments: [
        ("20ms", 0.02), ("1s", 1.0), ("6m0s", 360.0), ("1h2m3.5s", 3723.5), ("17.28s", 17.28), ("2", 2.0),
    ])
    func readsResetTimesAsOpenAIWritesThem(text: String, seconds: Double) {
        #expect(abs((RateLimitHeaders.seconds(text) ?? -1) - seconds) < 1e-9)
    }

    @Test(arguments: ["", "soon", "5x", "1m2", "-3"])
    func refusesOtherResetTimes(text: String) {
        #expect(RateLimitHeaders.seconds(text) == nil)
    }

    private func absorb(_ line: String, into limits: inout RateLimitHeaders) -> Bool {
        limits.absorb(line: line)
    }

    @Test func takesOnlyItsOwnHeadersInAnyCase() {
        var limits = RateLimitHeaders()
        #expect(absorb("X-RateLimit-Limit-Requests: 500\r\n", into: &limits))
        #expect(absorb("x-ratelimit-remaining-requests:0", into: &limits))
        #expect(absorb("x-ratelimit-reset-requests: 6m0s", into: &limits))
        #expect(absorb("x-ratelimit-remaining-tokens: 9000", into: &limits))
        #expect(!absorb("Retry-After: 3", into: &limits))
        #expect(!absorb("x-ratelimit-colour: red", into: &limits))
        #expect(limits.limitRequests == 500 && limits.remainingRequests == 0 && limits.remainingTokens == 9000)
        #expect(limits.isExhausted)
        // Six minutes to refill 500 requests: one comes back every 0.72 s.
        #expect(abs((limits.waitForSpentBudget ?? 0) - 0.72) < 1e-9)
        #expect(RateLimitHeaders().waitForSpentBudget == nil)
    }

    @Test(arguments: [
        ("Too many concurrent requests", ThrottleKind.concurrency),
        ("Rate limit reached for requests per min (RPM): Limit 3", .rate),
        ("Rate limit reached for gpt-4o on tokens per min (TPM)", .rate),
        ("at most 16 may be in flight at once", .concurrency),
    ])
    func tellsA429ByItsWords(message: String, kind: ThrottleKind) {
        #expect(ThrottleKind.classify(message: message, limits: RateLimitHeaders()) == kind)
    }

    @Test func tellsAnUnworded429ByItsHeaders() {
        var left = RateLimitHeaders()
        left.remainingRequests = 12
        left.remainingTokens = 4000
        #expect(ThrottleKind.classify(message: "slow down", limits: left) == .concurrency)
        var spent = left
        spent.remainingTokens = 0
        #expect(ThrottleKind.classify(message: "slow down", limits: spent) == .rate)
        #expect(ThrottleKind.classify(message: "slow down", limits: RateLimitHeaders()) == .rate)
    }
}
