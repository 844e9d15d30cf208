/// Why a chaos scenario stopped before its assertions.
enum ChaosFailure: Error, CustomStringConvertible {
    case timedOut(String)
    case setup(String)

    var description: String {
        switch self {
        case .timedOut(let what): "timed out waiting for \(what)"
        case .setup(let what): "setting up the scenario failed: \(what)"
        }
    }
}
