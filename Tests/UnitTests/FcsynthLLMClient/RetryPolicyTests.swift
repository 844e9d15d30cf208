import Testing

@testable import FcsynthCore
@testable import FcsynthLLMClient

@Suite struct RetryPolicyTests {
    private let policy = RetryPolicy(
        maxAttempts: 6, baseDelay: .milliseconds(100), maxDelay: .seconds(1), maxRetryAfter: .seconds(5))

    @Test func backoffDoublesWithinTheUpperHalfOfEachStep() {
        var generator = SplitMix64(seed: 7)
        for (attempt, step) in [(1, 0.1), (2, 0.2), (3, 0.4), (4, 0.8)] {
            for _ in 0..<50 {
                let delay = policy.delay(afterAttempt: attempt, using: &generator).inSeconds
                #expect(delay >= step / 2 - 1e-9 && delay <= step + 1e-9, "attempt \(attempt): \(delay)")
            }
        }
    }

    @Test func backoffIsCappedAtMaxDelay() {
        var generator = SplitMix64(seed: 1)
        for attempt in [5, 10, 64, 1000] {
            let delay = policy.delay(afterAttempt: attempt, using: &generator).inSeconds
            #expect(delay >= 0.5 && delay <= 1.0)
        }
    }

    @Test func jitterRepeatsForTheSameSeedAndSpreadsAcrossDraws() {
        var first = SplitMix64(seed: 42)
        var second = SplitMix64(seed: 42)
        let a = (1...4).map { policy.delay(afterAttempt: $0, using: &first) }
        let b = (1...4).map { policy.delay(afterAttempt: $0, using: &second) }
        #expect(a == b)
        var generator = SplitMix64(seed: 3)
        let draws = Set((0..<20).map { _ in policy.delay(afterAttempt: 3, using: &generator) })
        #expect(draws.count > 10)
    }

    @Test func retryAfterIsAFloorCappedAtMaxRetryAfter() {
        var generator = SplitMix64(seed: 9)
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(2), using: &generator) == .seconds(2))
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(3600), using: &generator) == .seconds(5))
        let short = policy.delay(afterAttempt: 4, retryAfter: .milliseconds(1), using: &generator).inSeconds
        #expect(short >= 0.4, "a tiny Retry-After must not shorten the backoff")
    }

    @Test func presets() {
        #expect(RetryPolicy.none.maxAttempts == 1)
        #expect(RetryPolicy.default.maxAttempts > 1)
        #expect(RetryPolicy(maxAttempts: 0).maxAttempts == 1)
    }
}
