import FcsynthCore

extension WorkItem {
    /// A fanned-out child: the same item under an id derived from this one's, so that ids
    /// stay unique and a retried parent yields the same children.
    package func child(_ suffix: String) -> WorkItem {
        var child = self
        child.id = "\(id).\(suffix)"
        return child
    }
}
