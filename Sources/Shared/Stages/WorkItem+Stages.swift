extension WorkItem {
    /// A fanned-out child: the same item under an id derived from this one's, so that ids
    /// stay unique and a retried parent yields the same children.
    func child(_ suffix: String) -> WorkItem {
        var child = self
        child.id = "\(id).\(suffix)"
        return child
    }

    /// This item with a step's tokens added to its running total.
    func spending(_ usage: TokenUsage) -> WorkItem {
        var item = self
        item.usage = (item.usage ?? TokenUsage()) + usage
        return item
    }
}
