import FcsynthCore

/// A run's batch mode (`--llm-mode batch`): its calls go through the provider's Batch API at
/// the batch price, one round of each item's chain per batch. Stored with the run's settings.
public struct BatchSettings: Codable, Sendable, Hashable {
    /// After waiting this many rounds, an item's calls go online, so that the stragglers of a
    /// long chain do not hold the run for days; nil: never.
    public var onlineAfter: Int?
    /// While other tasks still run, the longest a request waits for others to join its round
    /// before the batch goes out anyway, in seconds. A round goes out at once when nothing
    /// else can join it.
    public var window: Double = 60
    /// The most requests and bytes of requests one batch holds: the provider's limits, or less.
    public var maxRequests = BatchLimits.openAI.maxRequests
    public var maxBytes = BatchLimits.openAI.maxBytes
    /// What a batch answer costs against an online one: OpenAI's batch price is half.
    public var priceFactor = 0.5

    public init() {}

    package enum CodingKeys: String, CodingKey {
        case window
        case onlineAfter = "online_after"
        case maxRequests = "max_requests"
        case maxBytes = "max_bytes"
        case priceFactor = "price_factor"
    }
}
