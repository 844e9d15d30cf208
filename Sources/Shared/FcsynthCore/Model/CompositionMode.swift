/// How an atomic task is composed into a compositional one. The method has no third,
/// purely parallel strategy.
public enum CompositionMode: String, Codable, Sendable, Hashable, CaseIterable {
    case sequential
    case paraSeq = "para_seq"
}
