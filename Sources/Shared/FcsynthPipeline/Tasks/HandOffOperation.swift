import FcsynthCore
import Foundation

/// One write a finished task asks for; `complete_tasks.lua` applies them only while the
/// task is still the worker's own. A delayed task is due `after` Redis's now, not the worker's.
public enum HandOffOperation: Sendable, Hashable {
    case push(StageName, Data)
    case delay(after: Duration, Data)
    case output(id: String, record: Data)
    case filter(Data)
    case dead(Data)
    case increment(String, Int)
    /// Deletes the task's replay hash: it moved on, and no attempt will ask its questions again.
    case forgetReplies
    /// Marks a field of the replay hash (`c:KEY`): a hand-off has counted that answer's tokens.
    case markCounted(String)
    /// Deletes an answer field (`a:KEY`) from the replay hash: the stage refused that answer.
    case dropReply(String)
    /// Batch mode: the task (`entry`) waits in the parked hash, holding no slot or lease, for
    /// the answer to `request` (a pending member, `ParkedRequest.member`) to come from a batch.
    case park(entry: Data, request: Data)
}
