import FcsynthCore

extension CompositionMode {
    /// The strategy for an item under `settings.composition`: fixed, or with `mixed` drawn
    /// from the item id's stable hash, so that a retried task picks the same.
    package static func choice(for itemId: String, settings: PipelineSettings) -> CompositionMode {
        switch settings.composition {
        case .sequential: return .sequential
        case .paraSeq: return .paraSeq
        case .mixed:
            // FNV's high bits barely differ between ids like "17" and "18"; a SplitMix64 step mixes them.
            var mixer = SplitMix64(seed: StableHash.of(itemId))
            let draw = Double(mixer.next() >> 11) / Double(UInt64(1) << 53)
            return draw < settings.paraSeqRatio ? .paraSeq : .sequential
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
