/// An item the near-duplicate filter kept and the items it removed as repeats of it.
public struct NearDuplicateCluster: Codable, Sendable, Hashable {
    public var original: String
    /// The original's composition task, when the report found it among the records or the filtered items.
    public var task: String?
    public var repeats: [String]
    /// Of `repeats`, those whose scenario is near the original's too (the same threshold): a
    /// repeat from another scenario says the stages converge on one task whatever the seed.
    public var scenariosNear: Int = 0

    package enum CodingKeys: String, CodingKey {
        case original, task, repeats
        case scenariosNear = "scenarios_near"
    }
}
