import FcsynthCore

/// The batch side of a batch-mode run, as `status` shows it.
public struct BatchStatus: Codable, Sendable, Hashable {
    /// Batches drafted or submitted and not yet settled.
    public var openBatches: Int
    /// The requests those batches held when they were drafted.
    public var inBatches: Int
    /// Requests waiting for the next batch.
    public var pending: Int
    /// Tasks waiting for an answer from a batch, holding no slot.
    public var parked: Int
    /// Batch lines settled: answered, failed and sent again, failed past the attempt limit.
    public var answered: Int
    public var retried: Int
    public var failed: Int
    /// Batches settled so far.
    public var rounds: Int
    /// Batch answers the run's hand-offs have used, and their tokens.
    public var calls: Int
    public var tokens: Int
    /// What those tokens cost at the batch price, and would have cost online; nil without prices.
    public var cost: Double?
    public var onlineCost: Double?
    /// The worker that submits and polls the run's batches; nil while none leads.
    public var leader: String?

    package enum CodingKeys: String, CodingKey {
        case pending, parked, answered, retried, failed, rounds, calls, tokens, cost, leader
        case openBatches = "open_batches"
        case inBatches = "in_batches"
        case onlineCost = "online_cost"
    }
}
