/// Why the workers `fcsynth run` starts beside itself are not working.
enum WorkerFleetError: Error, Sendable, Hashable, CustomStringConvertible {
    case workerNotFound(path: String)
    /// A worker stopped on its own; the last lines of its log say why.
    case workerExited(status: Int32, logTail: String)

    var description: String {
        switch self {
        case .workerNotFound(let path):
            "fcsynth-worker is not beside fcsynth (\(path)); build both with swift build"
        case .workerExited(let status, let logTail):
            "a worker exited with status \(status):\n\(logTail)"
        }
    }
}
