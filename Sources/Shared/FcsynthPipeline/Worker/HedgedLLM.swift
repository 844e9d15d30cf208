import FcsynthCore

/// An LLM backend that sends a call still unanswered after `after` once more, on a slot the
/// worker has spare (`SpareSlots`: at the end of a run, with nothing left to claim), and takes
/// whichever answer comes first; the other call is cancelled. A heavy-tailed endpoint's slowest
/// calls then no longer hold up the run's last items. Each hedge is one more paid call, so it is
/// off unless the worker is given `--hedge-after-ms`.
package struct HedgedLLM: LLMBackend {
    package let base: any LLMBackend
    package let after: Duration
    package let spare: SpareSlots

    package var identity: BackendIdentity { base.identity }

    private enum Outcome: Sendable {
        case answered(ChatResponse)
        /// No hedge went out, or it failed: the first call's outcome decides.
        case noHedge
    }

    package func complete(_ request: ChatRequest) async throws -> ChatResponse {
        try await withThrowingTaskGroup(of: Outcome.self) { group in
            group.addTask { .answered(try await base.complete(request)) }
            group.addTask {
                try await Task.sleep(for: after)
                guard spare.takeForHedge() else { return .noHedge }
                defer { spare.hedgeEnded() }
                guard let response = try? await base.complete(request) else { return .noHedge }
                return .answered(response)
            }
            // The first call's error ends the call at once, as without hedging.
            while let outcome = try await group.next() {
                if case .answered(let response) = outcome {
                    group.cancelAll()
                    return response
                }
            }
            throw CancellationError()
        }
    }
}
