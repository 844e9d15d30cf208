/// The composition a run asks for (`--composition`): one strategy for every item, or `mixed`,
/// which draws each item's `CompositionMode` with `paraSeqRatio`. Stored with the run's settings
/// under these raw values.
public enum CompositionSetting: String, Codable, Sendable, Hashable, CaseIterable {
    case sequential
    case paraSeq = "para_seq"
    case mixed
}
