import FcsynthCore
import FcsynthRedis

extension RunStore {
    /// Stores the run's budget in one step with the claims that read it. `replacing` false
    /// (enqueue) sets only the limits the run does not have yet, so that an enqueue resumed with
    /// its first flags cannot undo a raise; true (`fcsynth budget`) replaces the ones given, and
    /// 0 removes one. A cost limit needs the run's prices: without them its spend is unknown.
    /// Returns the budget as stored.
    @discardableResult
    public func setBudget(_ budget: RunBudget, replacing: Bool) async throws -> RunBudget {
        if budget.maxCost.map({ $0 > 0 }) == true {
            let stored = try await redis.send("GET", keys.settings).data
            let settings = try stored.map { try JSONCoding.decode(RunSettings.self, from: $0) }
            guard settings?.prices != nil else { throw PipelineError.budgetWithoutPrices(run) }
        }
        let reply = try await PipelineScripts.setBudget.evaluate(
            on: redis, keys: keys,
            arguments: [
                replacing ? "replace" : "initial", budget.maxCost.map { String(RunBudget.nanoDollars($0)) } ?? "",
                budget.tokens.map(String.init) ?? "",
            ])
        let parts = reply.array?.map { $0.string ?? "" } ?? []
        switch parts.first {
        case "ok" where parts.count == 3:
            return Self.budget(nanoDollars: parts[1], tokens: parts[2])
        case "unknown":
            throw PipelineError.unknownRun(run)
        default:
            throw RedisError.unexpectedReply("set_budget returned \(reply)")
        }
    }

    /// The budget from the meta hash's fields ("0" or absent: none).
    package static func budget(nanoDollars: String?, tokens: String?) -> RunBudget {
        let cost = nanoDollars.flatMap(Int.init).flatMap { $0 > 0 ? Double($0) / 1e9 : nil }
        let tokens = tokens.flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil }
        return RunBudget(maxCost: cost, tokens: tokens)
    }
}

extension RunStore {
    /// From the counters the hand-offs charge, the same ones claim_tasks.lua holds the run by.
    static func spend(settings: RunSettings?, counters: [String: Int], budget: RunBudget) -> SpendStatus {
        let chargedTokens = counters["charged_tokens"] ?? 0
        let nanoDollars = counters["charged_nano_usd"] ?? 0
        let cached = counters.reduce(0) { $0 + ($1.key.hasPrefix("tokens_cached:") ? $1.value : 0) }
        let estimated = counters.reduce(0) { $0 + ($1.key.hasPrefix("tokens_estimated:") ? $1.value : 0) }
        let costReached = budget.maxCost.map { nanoDollars >= RunBudget.nanoDollars($0) } ?? false
        let tokensReached = budget.tokens.map { chargedTokens >= $0 } ?? false
        return SpendStatus(
            serviceTier: settings?.serviceTier?.rawValue, prices: settings?.prices, budget: budget,
            cost: settings?.prices.map { _ in Double(nanoDollars) / 1e9 }, chargedTokens: chargedTokens,
            cachedTokens: cached,
            estimatedShare: chargedTokens > 0 ? min(1, Double(estimated) / Double(chargedTokens)) : 0,
            budgetReached: costReached || tokensReached)
    }
}
