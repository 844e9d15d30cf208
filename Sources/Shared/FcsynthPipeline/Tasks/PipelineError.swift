/// Errors of the pipeline's own making, each with a message a user can act on.
public enum PipelineError: Error, Sendable, Hashable {
    case invalidRunName(String)
    case unknownRun(String)
    case settingsMismatch(run: String, detail: String)
    case runCancelled(String)
    case malformedTask(String)
    case invalidOption(String)
}

extension PipelineError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalidRunName(let run):
            "invalid run name \"\(run)\": use 1-64 letters, digits, '.', '-' or '_'"
        case .unknownRun(let run):
            "no run named \"\(run)\" (fcsynth runs lists them)"
        case .settingsMismatch(let run, let detail):
            "run \"\(run)\" exists with other settings (\(detail)); resume it with the same options, or use another --run"
        case .runCancelled(let run):
            "run \"\(run)\" was cancelled"
        case .malformedTask(let reason):
            "malformed task: \(reason)"
        case .invalidOption(let message):
            message
        }
    }
}
