import FcsynthCore

/// An entry of a run's `filtered` or `dead` list: which item, where, and why.
/// Dead entries keep the whole task, so that `fcsynth requeue` can send it back.
public struct RemovedItem: Codable, Sendable, Hashable {
    public var id: String?
    public var line: Int?
    public var stage: String
    public var reason: String
    public var attempts: Int?
    public var item: WorkItem?
    public var task: String?
    /// For an item filtered as a near-duplicate: the id of the earlier item it repeats.
    public var duplicateOf: String? = nil
    /// For such an item: whether its scenario is near the earlier item's too, by the same
    /// threshold; nil when either scenario has no words, or for entries from before scenarios
    /// were indexed.
    public var scenarioNear: Bool? = nil

    package enum CodingKeys: String, CodingKey {
        case id, line, stage, reason, attempts, item, task
        case duplicateOf = "duplicate_of"
        case scenarioNear = "scenario_near"
    }
}
