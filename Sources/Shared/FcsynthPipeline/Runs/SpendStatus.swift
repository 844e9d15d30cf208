/// What a run has spent, against its budget, as `fcsynth status` shows it.
public struct SpendStatus: Codable, Sendable, Hashable {
    /// The `service_tier` the run's calls ask for; nil: none.
    public var serviceTier: String?
    /// The prices stored with the run, at its tier; nil: none, and `cost` is unknown.
    public var prices: RunEstimate.Prices?
    public var budget: RunBudget
    /// The run's calls at its prices, as the hand-offs charged them; nil without prices.
    public var cost: Double?
    /// Prompt and completion tokens the hand-offs charged to the budget.
    public var chargedTokens: Int
    /// The part of the prompt tokens the endpoint served from its cache.
    public var cachedTokens: Int
    /// The share of the charged tokens that fcsynth estimated (the endpoint reported no usage),
    /// from 0 to 1: the spend is exact only where this is 0.
    public var estimatedShare: Double
    /// Either limit is reached: the first stage is held, no new item starts.
    public var budgetReached: Bool

    public init(
        serviceTier: String?, prices: RunEstimate.Prices?, budget: RunBudget, cost: Double?, chargedTokens: Int,
        cachedTokens: Int, estimatedShare: Double, budgetReached: Bool
    ) {
        self.serviceTier = serviceTier
        self.prices = prices
        self.budget = budget
        self.cost = cost
        self.chargedTokens = chargedTokens
        self.cachedTokens = cachedTokens
        self.estimatedShare = estimatedShare
        self.budgetReached = budgetReached
    }

    package enum CodingKeys: String, CodingKey {
        case prices, budget, cost
        case serviceTier = "service_tier"
        case chargedTokens = "charged_tokens"
        case cachedTokens = "cached_tokens"
        case estimatedShare = "estimated_share"
        case budgetReached = "budget_reached"
    }
}
