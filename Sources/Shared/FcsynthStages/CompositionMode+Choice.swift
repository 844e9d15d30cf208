import FcsynthCore

extension CompositionMode {
    /// The strategy for an item under `settings.composition`: fixed, or with `mixed` drawn
    /// from the item id's stable hash, so that a retried task picks the same.
    package static func choice(for itemId: String, settings: PipelineSettings) -> CompositionMode {
        switch settings.composition {
        case .sequential: return .sequential
        case .paraSeq: return .paraSeq
        case .mixed:
            var mixer = SplitMix64(seed: StableHash.of(itemId))
            return mixer.nextUnit() < settings.paraSeqRatio ? .paraSeq : .sequential
        }
    }

    /// The stage that composes an atomic task with this strategy.
    package var stage: StageName {
        switch self {
        case .sequential: .sequentialTask
        case .paraSeq: .paraSeqTask
        }
    }
}
