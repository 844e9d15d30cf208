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
}
