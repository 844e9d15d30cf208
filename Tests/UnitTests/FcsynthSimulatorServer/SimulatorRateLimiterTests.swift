import Testing

@testable import FcsynthSimulatorServer

@Suite struct SimulatorRateLimiterTests {
    static let second: UInt64 = 1_000_000_000

    @Test func refusesPastTheBudgetAndRefillsAtTheLimit() {
        // 120 a minute, 5 seconds' worth held: 10 at once, then 2 a second.
        var limiter = SimulatorRateLimiter(requestsPerMinute: 120, tokensPerMinute: 0, burstSeconds: 5, now: 0)
        for _ in 0..<10 {
            guard case .admitted = limiter.admit(cost: 1, now: 0) else {
                Issue.record("refused within the budget")
                return
            }
        }
        guard case .refused(let budget, let wait) = limiter.admit(cost: 1, now: 0) else {
            Issue.record("admitted past the budget")
            return
        }
        #expect(budget == "requests")
        #expect(abs(wait - 0.5) < 1e-9)
        guard case .admitted = limiter.admit(cost: 1, now: Self.second / 2) else {
            Issue.record("the budget did not refill")
            return
        }
        let headers = Dictionary(uniqueKeysWithValues: limiter.headers.map { ($0.name, $0.value) })
        #expect(headers["x-ratelimit-limit-requests"] == "120")
        #expect(headers["x-ratelimit-remaining-requests"] == "0")
        #expect(headers["x-ratelimit-reset-requests"] == "5s")
    }

    @Test func aRefusedRequestTakesNothing() {
        var limiter = SimulatorRateLimiter(requestsPerMinute: 0, tokensPerMinute: 600, burstSeconds: 1, now: 0)
        guard case .refused(let budget, _) = limiter.admit(cost: 50, now: 0) else {
            Issue.record("admitted past the budget")
            return
        }
        #expect(budget == "tokens")
        guard case .admitted = limiter.admit(cost: 10, now: 0) else {
            Issue.record("the refused request was charged")
            return
        }
    }

    @Test func writesResetsAsOpenAIDoes() {
        #expect(SimulatorRateLimiter.resetText(0.35) == "350ms")
        #expect(SimulatorRateLimiter.resetText(1.5) == "1.5s")
        #expect(SimulatorRateLimiter.resetText(360) == "6m0s")
    }
}
