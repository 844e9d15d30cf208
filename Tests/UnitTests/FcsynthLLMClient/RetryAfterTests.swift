import Foundation
import Testing

@testable import FcsynthLLMClient

@Suite struct RetryAfterTests {
    private let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT

    @Test(arguments: [("0", 0.0), ("1", 1.0), ("120", 120.0), (" 7 ", 7.0), ("1.5", 1.5)])
    func delaySeconds(text: String, seconds: Double) {
        #expect(RetryAfter.parse(text, now: now) == .seconds(seconds))
    }

    @Test func httpDateForms() {
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:49:47 GMT", now: now) == .seconds(10))
        #expect(RetryAfter.parse("Sunday, 06-Nov-94 08:50:37 GMT", now: now) == .seconds(60))
        #expect(RetryAfter.parse("Sun Nov  6 08:49:39 1994", now: now) == .seconds(2))
    }

    @Test func aDateInThePastMeansNoWait() {
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:00:00 GMT", now: now) == .zero)
    }

    @Test(arguments: ["", "soon", "-5", "1e3", "12abc", "Sun, 32 Foo 1994 08:49:37 GMT"])
    func garbageIsIgnored(text: String) {
        #expect(RetryAfter.parse(text, now: now) == nil)
    }
}
