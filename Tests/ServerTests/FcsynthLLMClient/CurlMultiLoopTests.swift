import Foundation
import Synchronization
import Testing

@testable import FcsynthCore
@testable import FcsynthLLMClient

@Suite struct CurlMultiLoopTests {
    /// A transfer the simulator never answers: only the loop's stop can end it.
    private static func hangingTransfer(_ baseURL: String) throws -> CurlTransfer {
        let directive = "[[sim:hang*1000#\(UUID().uuidString)]]"
        let request = ChatRequest(call: "test_stop", messages: [.user("Hi \(directive)")], maxTokens: 16)
        let body = try ChatCompletionBody(model: "sim-model", request: request).encoded()
        return try CurlTransfer(
            CurlTransfer.Settings(
                url: baseURL + "/chat/completions", body: RequestBody(body),
                headers: ["Content-Type: application/json"],
                timeout: .seconds(600), connectTimeout: .seconds(10), maxResponseBytes: 1 << 20))
    }

    /// How each call ended and how long it took, by the order it was started in. Each runs in a
    /// task of its own, so that a call that never returns stays absent rather than hanging the test.
    private final class Outcomes: Sendable {
        private let ended = Mutex<[Int: (outcome: String, took: Duration)]>([:])

        func start(_ index: Int, on loop: CurlMultiLoop, _ transfer: CurlTransfer) {
            let started = ContinuousClock.now
            Task {
                let outcome: String
                do {
                    outcome = "answered \(try await loop.perform(transfer).status)"
                } catch is CancellationError {
                    outcome = "stopped"
                } catch {
                    outcome = "failed: \(error)"
                }
                ended.withLock { $0[index] = (outcome, ContinuousClock.now - started) }
            }
        }

        var count: Int { ended.withLock { $0.count } }
        var all: [Int: (outcome: String, took: Duration)] { ended.withLock { $0 } }
    }

    /// Calls running, queued with the stop, and made after it all fail with the stopped error;
    /// none is left waiting on a loop that is gone.
    @Test func everyCallEndsWithTheStoppedErrorWhenTheLoopStops() async throws {
        let server = try await LLMTestServer.start(own: true)
        defer { server.stop() }
        let loop = try CurlMultiLoop(maxConnections: 64)
        let outcomes = Outcomes()

        let running = 4
        for index in 0..<running { outcomes.start(index, on: loop, try Self.hangingTransfer(server.baseURL)) }
        #expect(
            try await server.eventually { $0.hungConnections == running }, "the calls never reached the server")

        // A burst that the stop lands in the middle of, and calls made once it has.
        let burst = 40
        var transfers = try (0..<burst).map { _ in try Self.hangingTransfer(server.baseURL) }
        for index in 0..<burst / 2 { outcomes.start(running + index, on: loop, transfers.removeFirst()) }
        loop.shutdown()
        for index in burst / 2..<burst { outcomes.start(running + index, on: loop, transfers.removeFirst()) }
        let after = 5
        for index in 0..<after {
            outcomes.start(running + burst + index, on: loop, try Self.hangingTransfer(server.baseURL))
        }

        let total = running + burst + after
        let deadline = ContinuousClock.now + .seconds(60)
        while outcomes.count < total, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let ended = outcomes.all
        let waiting = (0..<total).filter { ended[$0] == nil }
        #expect(waiting.isEmpty, "\(waiting.count) of \(total) calls still wait on the stopped loop: \(waiting)")
        let other = ended.filter { $0.value.outcome != "stopped" }.mapValues(\.outcome)
        #expect(other.isEmpty, "calls that did not end with the stopped error: \(other)")
        // Nothing was left to run them: they fail at once, not at some timeout (with room for a loaded machine).
        let slow = (running + burst..<total).filter { (ended[$0]?.took ?? .seconds(600)) > .seconds(20) }
        #expect(slow.isEmpty, "calls made after the stop that did not fail at once: \(slow)")
        // The server sees every running call hang up.
        #expect(try await server.eventually { $0.hungConnections == 0 })
    }
}
