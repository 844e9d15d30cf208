import FcsynthCore

extension TaskProcessor {
    /// What an attempt's fresh answers add to the run's spend, in the hand-off that counts their
    /// tokens, so that the budget claim_tasks.lua holds the run to is read from the same atomic
    /// counts as the tokens: `charged_tokens` for `--budget-tokens`, `charged_nano_usd` at the
    /// run's stored prices for `--max-cost`.
    static func charges(_ usage: TokenUsage, stage: String, prices: RunEstimate.Prices?) -> [HandOffOperation] {
        var operations: [HandOffOperation] = [.increment("charged_tokens", usage.totalTokens)]
        if usage.cachedTokens > 0 {
            operations.append(.increment("tokens_cached:\(stage)", usage.cachedTokens))
        }
        if let prices {
            operations.append(.increment("charged_nano_usd", prices.nanoDollars(usage)))
        }
        return operations
    }
}
