/// Where a run stands, as its meta hash's `state` field spells it, and the scripts with it.
public enum RunState: String, Sendable, Codable, CaseIterable {
    /// An enqueue is adding rows, or was interrupted and resumes when run again.
    case enqueuing
    /// Its input is complete; the run completes when its last item does.
    case enqueued
    /// An enqueue stopped on a file error: fix the file and resume, or close the input.
    case stopped
    case cancelled
}
