/// Which queued tasks a claim takes first (claim_tasks.lua).
public enum ClaimOrder: String, Sendable, CaseIterable {
    /// Later stages first, always: items finish before new ones start.
    case laterStagesFirst = "later"
    /// Later stages first until the input runs low (no more than twice the tasks in flight
    /// fleet-wide), then the items with the most work left first: the input, earlier stages,
    /// conversation turns with the fewest messages. The run's last items start early and
    /// its end does not wait on a few long chains with most slots idle.
    case mostWorkLeftInTail = "tail"
}
