/// A run's fleet-wide budget: when its spend reaches either limit, no new item starts
/// (claim_tasks.lua holds the first stage) while the items already started finish. Nil: no
/// limit of that kind.
public struct RunBudget: Codable, Sendable, Hashable {
    /// In the currency of the run's prices (US dollars for OpenAI's), charged at those prices.
    public var maxCost: Double?
    /// Prompt and completion tokens together, as the endpoint reports them.
    public var tokens: Int?

    public init(maxCost: Double? = nil, tokens: Int? = nil) {
        self.maxCost = maxCost
        self.tokens = tokens
    }

    /// The cost limit as the run's meta hash stores it, in billionths (`charged_nano_usd`'s unit).
    package static func nanoDollars(_ cost: Double) -> Int {
        Int((cost * 1e9).rounded())
    }

    package enum CodingKeys: String, CodingKey {
        case maxCost = "max_cost"
        case tokens
    }
}
