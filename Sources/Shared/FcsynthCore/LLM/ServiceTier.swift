/// OpenAI's `service_tier`: what a request asks for in latency against price. `flex` is slower
/// and cheaper, `default` the standard tier, `auto` lets the project's settings decide. Each is
/// billed at its own prices, so a run that asks for one is priced at that tier's rates.
public enum ServiceTier: String, Codable, Sendable, Hashable, CaseIterable {
    case flex
    case auto
    case `default`
}
