import FcsynthCore

/// What one attempt of a task took from the endpoint and from the replay store, for the
/// counters its hand-off writes: tokens are counted once per answer, by the first hand-off
/// after the answer arrived, however many attempts use it.
package struct ReplayTally: Sendable, Hashable {
    /// Answers this attempt uses that no hand-off has counted yet: fresh ones, and stored ones
    /// whose attempt ended without a hand-off (its worker died).
    package var uncountedCalls = 0
    package var uncountedUsage = TokenUsage()
    /// The part of `uncountedUsage` that is fcsynth's estimate: the endpoint reported none.
    package var estimatedTokens = 0
    /// The time those answers took the endpoint, in milliseconds, for the `llm_ms` counter.
    package var uncountedMilliseconds = 0
    /// Answers taken from the store instead of the endpoint, and the tokens they would have cost.
    package var replayedCalls = 0
    /// Answers taken from the response cache (`--cache`): never counted as LLM calls, and
    /// their tokens count in `savedUsage` with the replayed ones'.
    package var cachedCalls = 0
    package var savedUsage = TokenUsage()
    /// The part of `uncountedCalls` and `uncountedUsage` that came through a batch (`--llm-mode batch`).
    package var batchCalls = 0
    package var batchUsage = TokenUsage()
    /// The stored answers the counts above cover: marked counted when the task stays (a retry,
    /// a death), so that the next attempt does not count them again.
    package var uncountedFields: [String] = []
    /// The field of the last answer used: dropped when the stage refused that answer, so that
    /// the retry asks again rather than replaying it.
    package var lastField: String?

    package init() {}
}
