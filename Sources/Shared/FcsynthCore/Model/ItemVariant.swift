/// What an item was built to teach: the standard conversation, one whose request a withheld
/// function cannot fully serve (`irrelevance`), or one whose user leaves out a detail the
/// assistant must ask for (`clarify`). Lineage keeps it, so that a dataset can be sliced by it.
public enum ItemVariant: String, Codable, Sendable, Hashable, CaseIterable {
    case standard
    case irrelevance
    case clarify
}
