/// What one stage spent per kept conversation: the run's tokens over its output count, and
/// the cost at the prices given (nil without prices).
public struct StageCost: Codable, Sendable, Hashable {
    public var stage: String
    public var promptTokens: Double
    public var completionTokens: Double
    public var cost: Double?

    package enum CodingKeys: String, CodingKey {
        case stage, cost
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
    }
}
