import FcsynthCore

extension TaskProcessor {
    /// What an attempt's fresh answers add to the run's spend, in the hand-off that counts their
    /// tokens, so that the budget claim_tasks.lua holds the run to is read from the same atomic
    /// counts as the tokens: `charged_tokens` for `--budget-tokens`, `charged_nano_usd` at the
    /// run's stored prices for `--max-cost`. The part of `usage` that came through batches
    /// (`batch`) is charged at `batchPriceFactor` of those prices, and also counted alone.
    static func charges(
        _ usage: TokenUsage, stage: String, prices: RunEstimate.Prices?, batch: TokenUsage = TokenUsage(),
        batchPriceFactor: Double = 1
    ) -> [HandOffOperation] {
        var operations: [HandOffOperation] = [.increment("charged_tokens", usage.totalTokens)]
        if usage.cachedTokens > 0 {
            operations.append(.increment("tokens_cached:\(stage)", usage.cachedTokens))
        }
        if batch.totalTokens > 0 {
            operations.append(.increment("batch_tokens", batch.totalTokens))
        }
        if let prices {
            let online = TokenUsage(
                promptTokens: usage.promptTokens - batch.promptTokens,
                completionTokens: usage.completionTokens - batch.completionTokens,
                cachedTokens: usage.cachedTokens - batch.cachedTokens)
            let batchCost = Int((Double(prices.nanoDollars(batch)) * batchPriceFactor).rounded())
            operations.append(.increment("charged_nano_usd", prices.nanoDollars(online) + batchCost))
            if batchCost > 0 { operations.append(.increment("batch_nano_usd", batchCost)) }
        }
        return operations
    }
}
