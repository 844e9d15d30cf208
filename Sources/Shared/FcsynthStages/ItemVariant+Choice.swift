import FcsynthCore

extension ItemVariant {
    /// The variant an item is drawn as under the run's ratios: from the item id's stable hash,
    /// so that a retried or recovered task draws the same. The draw is its own (salted), apart
    /// from the composition mode's, so that the two do not go together.
    package static func choice(for itemId: String, settings: PipelineSettings) -> ItemVariant {
        var mixer = SplitMix64(seed: StableHash.of(itemId + "/variant"))
        let draw = mixer.nextUnit()
        if draw < settings.irrelevanceRatio { return .irrelevance }
        if draw < settings.irrelevanceRatio + settings.clarifyRatio { return .clarify }
        return .standard
    }
}
